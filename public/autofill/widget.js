/*
 * INN autofill widget (GET /autofill/v1/widget.js). A site adds
 *   <script src="https://<server>/autofill/v1/widget.js" data-form="#registration"></script>
 * and marks its fields data-autofill="inn", "kpp", "ogrn", "shortName", "legalAddress.oneLine", "head.fio", …;
 * a valid INN typed into the INN field fills the others from GET <server>/autofill/v1/company?inn=….
 * Plain ES2017, no dependencies, nothing global but window.CounterpartyAutofill.version: it has to run on any site.
 */
(function () {
  'use strict';

  var VERSION = '1.0.0';
  var DEBOUNCE_MS = 400;

  // document.currentScript exists only while this file first runs, so the endpoint is worked out now, not later.
  var script = document.currentScript || document.querySelector('script[src*="/autofill/v1/widget.js"]');
  var endpoint = endpointOf(script);
  var formSelector = script && script.getAttribute('data-form');

  var MESSAGES = {
    checksum: 'Проверьте ИНН: контрольная сумма не сходится',
    digits: 'ИНН состоит только из цифр',
    length: 'ИНН состоит из 10 цифр (организация) или 12 цифр (ИП)',
    loading: 'Ищем компанию…',
    notFound: 'Компания с таким ИНН не найдена в ЕГРЮЛ/ЕГРИП',
    unavailable: 'Сервис проверки временно недоступен, попробуйте позже или заполните поля вручную',
  };
  // status.text is the registry's long wording; a short phrase first tells the visitor what it means for them.
  var INACTIVE = {
    LIQUIDATED: 'компания ликвидирована',
    LIQUIDATING: 'компания в процессе ликвидации',
    BANKRUPT: 'компания в процедуре банкротства',
  };

  // Answers per INN for the page's life: a company's requisites do not change while a visitor fills a form, and
  // every repeated lookup would spend the site's request budget. Only definitive answers (200, 404) are kept.
  var answers = new Map();

  function endpointOf(tag) {
    var override = tag && tag.getAttribute('data-endpoint');
    if (override) return new URL(override, document.baseURI).href;
    // The widget is served next to the company endpoint, under whatever path prefix a proxy put in front of both.
    var base = tag && tag.src ? tag.src.replace(/\/autofill\/v1\/widget\.js(?:[?#].*)?$/, '') : location.origin;
    return base + '/autofill/v1/company';
  }

  /** Russian INN control digits: 10 digits have one, 12 digits two; all zeros passes the sum but is nobody. */
  function innProblem(inn) {
    if (!/^\d+$/.test(inn)) return MESSAGES.digits;
    if (inn.length !== 10 && inn.length !== 12) return MESSAGES.length;
    if (/^0+$/.test(inn)) return MESSAGES.checksum;
    var ok =
      inn.length === 10
        ? checkDigit(inn, [2, 4, 10, 3, 5, 9, 4, 6, 8]) === +inn[9]
        : checkDigit(inn, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === +inn[10] && checkDigit(inn, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === +inn[11];
    return ok ? null : MESSAGES.checksum;
  }

  function checkDigit(digits, weights) {
    var sum = 0;
    for (var i = 0; i < weights.length; i++) sum += +digits[i] * weights[i];
    return (sum % 11) % 10;
  }

  /** Dot-notation path into the answer ("legalAddress.oneLine"); null when any step is missing. */
  function valueAt(data, path) {
    var value = path.split('.').reduce(function (node, key) {
      return node !== null && typeof node === 'object' ? node[key] : undefined;
    }, data);
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
  }

  /** Resolves to { status, data, retryAfter }; a network failure is status 0 (told apart from an abort by the caller). */
  function lookup(inn, signal) {
    if (answers.has(inn)) return Promise.resolve(answers.get(inn));
    var url = endpoint + (endpoint.indexOf('?') < 0 ? '?' : '&') + 'inn=' + encodeURIComponent(inn);
    // No cookies: the endpoint is public and usually on another origin than the site.
    return fetch(url, { signal: signal, credentials: 'omit', headers: { accept: 'application/json' } }).then(function (response) {
      return response.json().then(
        function (data) {
          var answer = { status: response.status, data: data, retryAfter: response.headers.get('retry-after') };
          if (response.status === 200 || response.status === 404) answers.set(inn, answer);
          return answer;
        },
        function () {
          return { status: response.status, data: null, retryAfter: response.headers.get('retry-after') };
        },
      );
    });
  }

  function bind(form) {
    // The state attribute doubles as "already bound", so a second copy of the script on the page does no harm.
    if (form.hasAttribute('data-autofill-state')) return;
    var innField = form.querySelector('[data-autofill="inn"]');
    if (!innField) return;
    var message = form.querySelector('[data-autofill-message]') || createMessage(innField);
    var edited = new WeakSet(); // fields the visitor typed into: never overwritten
    var filling = false; // true while our own input/change events are dispatched
    var timer = 0;
    var controller = null;
    var current = ''; // the INN whose answer may still be applied; a late answer for an older one is dropped
    var shown = ''; // the INN whose registry answer the form shows now

    function setState(state, text, level) {
      form.setAttribute('data-autofill-state', state);
      message.textContent = text || '';
      if (level) message.setAttribute('data-level', level);
      else message.removeAttribute('data-level');
    }

    function cancel() {
      clearTimeout(timer);
      if (controller) controller.abort();
      controller = null;
    }

    function check(final) {
      var inn = innField.value.replace(/\s+/g, '');
      // The change event after a debounced input that already did the work: nothing to do twice.
      if (inn && inn === shown) return;
      current = inn;
      shown = '';
      cancel();
      // Fewer than 10 digits while typing is not an error yet; on change (the visitor left the field) it is.
      if (!inn || (!final && /^\d{1,9}$/.test(inn))) return setState('idle');
      var problem = innProblem(inn);
      // A typo costs nothing: a bad INN never reaches the server.
      if (problem) return setState('invalid', problem, 'error');
      setState('loading', MESSAGES.loading);
      controller = new AbortController();
      lookup(inn, controller.signal).then(
        function (answer) {
          if (current === inn) show(inn, answer);
        },
        function (error) {
          if (current === inn && !(error && error.name === 'AbortError')) show(inn, { status: 0, data: null });
        },
      );
    }

    function show(inn, answer) {
      controller = null;
      if (answer.status === 200 && answer.data) {
        shown = inn;
        return fill(answer.data);
      }
      if (answer.status === 404) {
        shown = inn;
        return setState('not-found', MESSAGES.notFound, 'error');
      }
      if (answer.status === 400) return setState('invalid', MESSAGES.checksum, 'error');
      if (answer.status === 429) {
        var seconds = parseInt(answer.retryAfter, 10);
        var wait = seconds > 0 ? 'через ' + seconds + ' с' : 'чуть позже';
        return setState('error', 'Слишком много запросов, попробуйте ' + wait, 'error');
      }
      setState('error', MESSAGES.unavailable, 'error');
    }

    function fill(data) {
      var fields = form.querySelectorAll('[data-autofill]');
      filling = true;
      try {
        for (var i = 0; i < fields.length; i++) {
          var field = fields[i];
          var path = field.getAttribute('data-autofill');
          var value = path === 'inn' ? null : valueAt(data, path);
          // Never clear, never overwrite the visitor's own text: only put a known value where it is not.
          if (value === null || edited.has(field)) continue;
          setValue(field, value);
        }
      } finally {
        filling = false;
      }
      var status = data.status || {};
      if (status.isActive === false) {
        var phrase = INACTIVE[status.code] || (data.kind === 'SOLE_PROPRIETOR' ? 'ИП не действует' : 'компания не действует');
        return setState('filled', 'Внимание: ' + phrase + (status.text ? ' — «' + status.text + '»' : ''), 'warning');
      }
      var name = data.shortName || data.fullName || data.inn;
      setState('filled', 'Заполнено по данным реестра: ' + name + (data.stale ? ' (данные могут быть устаревшими)' : ''), 'ok');
    }

    form.addEventListener('input', function (event) {
      var target = event.target;
      if (target === innField) {
        clearTimeout(timer);
        timer = setTimeout(check, DEBOUNCE_MS, false);
        return;
      }
      // Our own fills dispatch input too; only the visitor's typing marks a field. A field emptied by hand may be
      // filled again: there is nothing left to overwrite.
      if (filling || !target.hasAttribute || !target.hasAttribute('data-autofill')) return;
      if (target.value === '') edited.delete(target);
      else edited.add(target);
    });
    form.addEventListener('change', function (event) {
      if (event.target === innField) check(true);
    });
    setState('idle');
    if (innField.value) check(false); // the browser restored the field (back button) or the site prefilled it
  }

  /** Created when bind runs, not at the first message: screen readers announce changes only to a region they know. */
  function createMessage(innField) {
    var element = document.createElement('div');
    element.setAttribute('data-autofill-message', '');
    element.setAttribute('role', 'status');
    element.setAttribute('aria-live', 'polite');
    innField.insertAdjacentElement('afterend', element);
    return element;
  }

  /** Through the prototype's setter: React and the like track .value themselves and ignore a plain assignment. */
  function setValue(field, value) {
    if (!('value' in field)) {
      field.textContent = value;
      return;
    }
    var descriptor = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), 'value');
    if (descriptor && descriptor.set) descriptor.set.call(field, value);
    else field.value = value;
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.dispatchEvent(new Event('change', { bubbles: true }));
  }

  function start() {
    var forms = formSelector ? document.querySelectorAll(formSelector) : document.querySelectorAll('form');
    for (var i = 0; i < forms.length; i++) bind(forms[i]);
  }

  window.CounterpartyAutofill = { version: VERSION };
  // In <head> the form does not exist yet.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
