/**
 * The INN autofill demo page (GET /autofill/v1/demo): a sample registration form with the widget
 * (public/autofill/widget.js) on it, the snippet a site pastes, and sample INNs to click. No external assets; the one
 * inline script only wires the sample buttons and the one inline style never changes, so a strict CSP can allow both
 * by hash (DEMO_CSP_HASHES) instead of 'unsafe-inline'. No inline event handler attributes.
 */
import { createHash } from 'node:crypto';

export interface DemoSample {
  inn: string;
  label: string;
}

export interface DemoPageOptions {
  samples: ReadonlyArray<DemoSample>;
  /** The subgraph answers from emulated data: the page says so. */
  sandbox: boolean;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The fields the widget fills, in form order: [data-autofill path, label]. The e-mail field has none: never touched. */
const FIELDS: ReadonlyArray<readonly [path: string, label: string]> = [
  ['shortName', 'Краткое наименование'],
  ['fullName', 'Полное наименование'],
  ['kpp', 'КПП'],
  ['ogrn', 'ОГРН / ОГРНИП'],
  ['legalAddress.oneLine', 'Юридический адрес'],
  ['head.fio', 'Руководитель'],
  ['head.position', 'Должность руководителя'],
  ['status.text', 'Статус в реестре'],
];

const SNIPPET = `<script src="https://<ваш-сервер>/autofill/v1/widget.js" data-form="#registration"></script>

<form id="registration">
  <input name="inn" data-autofill="inn" />
  <div data-autofill-message role="status" aria-live="polite"></div>
  <input name="kpp" data-autofill="kpp" />
  <input name="ogrn" data-autofill="ogrn" />
  <input name="name" data-autofill="shortName" />
  <input name="address" data-autofill="legalAddress.oneLine" />
  <input name="head" data-autofill="head.fio" />
</form>`;

const STYLE = `
  body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1f2328; margin: 0; background: #f6f8fa; }
  main { max-width: 760px; margin: 0 auto; padding: 24px 16px 48px; }
  h1 { font-size: 24px; margin: 0 0 8px; }
  h2 { font-size: 18px; margin: 28px 0 8px; }
  .sandbox { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 8px 12px; }
  form { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 16px; display: grid; gap: 12px; }
  label { display: grid; gap: 4px; font-weight: 600; font-size: 13px; }
  input { font: inherit; padding: 6px 8px; border: 1px solid #d0d7de; border-radius: 6px; font-weight: 400; }
  [data-autofill-message] { min-height: 1.45em; font-size: 14px; }
  [data-autofill-message][data-level='error'] { color: #cf222e; }
  [data-autofill-message][data-level='warning'] { color: #9a6700; font-weight: 600; }
  [data-autofill-message][data-level='ok'] { color: #1a7f37; }
  form[data-autofill-state='loading'] [data-autofill='inn'] { background: #f6f8fa; }
  .samples { display: flex; flex-wrap: wrap; gap: 8px; padding: 0; list-style: none; }
  .samples button { font: inherit; font-size: 13px; padding: 4px 10px; border: 1px solid #d0d7de; border-radius: 6px; background: #fff; cursor: pointer; }
  code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
  pre { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px; overflow-x: auto; }
  button[type='submit'] { justify-self: start; font: inherit; padding: 6px 16px; border-radius: 6px; border: 1px solid #1f883d; background: #1f883d; color: #fff; }
`;

/** Puts a sample INN into the INN field as if typed (an input event, which the widget listens to); stops the submit. */
const SCRIPT = `
  var form = document.getElementById('registration');
  var inn = form.querySelector('[data-autofill="inn"]');
  document.querySelectorAll('button[data-sample-inn]').forEach(function (button) {
    button.addEventListener('click', function () {
      inn.value = button.getAttribute('data-sample-inn');
      inn.dispatchEvent(new Event('input', { bubbles: true }));
      inn.focus();
    });
  });
  form.addEventListener('submit', function (event) { event.preventDefault(); });
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** CSP sources for the page's inline script and style: `script-src 'self' ${script}; style-src ${style}`. */
export const DEMO_CSP_HASHES = { script: sha256(SCRIPT), style: sha256(STYLE) } as const;

function field(path: string, label: string, extra = ''): string {
  const name = path.replace(/\./g, '-');
  return `<label>${escapeHtml(label)}<input name="${escapeHtml(name)}" data-autofill="${escapeHtml(path)}" autocomplete="off"${extra} /></label>`;
}

export function demoPage(options: DemoPageOptions): string {
  const sandbox = options.sandbox
    ? `<p class="sandbox" data-sandbox>Режим песочницы: данные компаний эмулированы, реестр не запрашивается.</p>`
    : '';
  const samples = options.samples.length
    ? `<h2>Попробуйте ИНН</h2>
    <ul class="samples">
      ${options.samples
        .map(
          (sample) =>
            `<li><button type="button" data-sample-inn="${escapeHtml(sample.inn)}">${escapeHtml(sample.label)} <code>${escapeHtml(sample.inn)}</code></button></li>`,
        )
        .join('\n      ')}
    </ul>`
    : '';
  return `<!doctype html>
<html lang="ru">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Автозаполнение по ИНН — демо</title>
  <style>${STYLE}</style>
</head>
<body>
  <main>
    <h1>Регистрация юридического лица</h1>
    <p>Введите ИНН организации или ИП — остальные поля заполнятся сами. Поля, которые вы исправили вручную, не перезаписываются.</p>
    ${sandbox}
    <form id="registration" novalidate>
      ${field('inn', 'ИНН', ' inputmode="numeric" maxlength="14" placeholder="10 или 12 цифр"')}
      <div data-autofill-message role="status" aria-live="polite"></div>
      ${FIELDS.map(([path, label]) => field(path, label)).join('\n      ')}
      <label>Контактный e-mail<input name="email" type="email" autocomplete="email" /></label>
      <button type="submit">Зарегистрироваться</button>
    </form>
    ${samples}
    <h2>Как подключить на своём сайте</h2>
    <pre>${escapeHtml(SNIPPET)}</pre>
  </main>
  <script src="/autofill/v1/widget.js" data-form="#registration"></script>
  <script>${SCRIPT}</script>
</body>
</html>`;
}
