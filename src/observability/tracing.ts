import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type AttributeValue,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { tracing } from '@opentelemetry/sdk-node';
import { redact } from './redaction.ts';

type SpanProcessor = tracing.SpanProcessor;

/**
 * Traces (OpenTelemetry), off unless OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set.
 *
 * Off, nothing of the SDK is loaded: `startTracing` imports it dynamically only when an endpoint is set, and our own
 * spans (the vendor call in src/vendors/http-core.ts, Redis reads and writes in src/cache/store.ts, the lease wait)
 * check `tracingEnabled()` before they build anything; @opentelemetry/api alone is a no-op.
 *
 * On: the Node SDK with the W3C trace-context propagator (the router's `traceparent` is the parent of the server
 * span), OTLP over HTTP configured by the standard variables (OTEL_EXPORTER_OTLP_PROTOCOL http/protobuf by default
 * or http/json, OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_*, OTEL_TRACES_SAMPLER …, as the SDK reads them), service name
 * OTEL_SERVICE_NAME (default counterparty-subgraph), and the instrumentations of incoming HTTP, outgoing undici
 * requests (each vendor HTTP attempt), GraphQL (the operation, parse and validate, non-trivial resolvers) and Express.
 *
 * Never recorded: an INN, a key, a token, a URL's query values, GraphQL variables or literals. The SDK must be
 * started before the app's modules are imported (ESM modules are patched only when loaded after the hooks are
 * registered): src/main.ts starts it, then imports the app.
 */

/** The name our own spans are made under (the instrumentation scope). */
const TRACER_NAME = 'counterparty-subgraph';

/** Paths never traced: probes and scrapes, many per minute, nothing to see in them. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Longest the last export may take on shutdown. */
const SHUTDOWN_FLUSH_MS = 3_000;

let enabled = false;

/**
 * Whether spans are recorded (the SDK started). Check it before building a span's attributes, so that with tracing
 * off a hot path allocates nothing.
 */
export function tracingEnabled(): boolean {
  return enabled;
}

export interface Tracing {
  /** Ends the SDK: exports the spans still buffered, waiting at most 3 s for the collector. */
  shutdown(): Promise<void>;
}

/** The OTLP endpoint the variables name, or undefined: tracing off. */
export function tracingEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!endpoint || /^true$/i.test(env.OTEL_SDK_DISABLED?.trim() ?? '')) return undefined;
  return endpoint;
}

/**
 * Starts the OpenTelemetry Node SDK when an OTLP endpoint is set; undefined (and nothing loaded) otherwise, or when
 * OTEL_TRACES_EXPORTER=none. Call it before importing anything the instrumentations patch (Express, GraphQL).
 */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<Tracing | undefined> {
  if (tracingEndpoint(env) === undefined) return undefined;
  const [{ NodeSDK, core }, { getSpanProcessorsFromEnv }, http, undici, graphql, express] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    // The SDK's own reading of OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL and OTEL_BSP_*: it picks the
    // OTLP exporter (http/protobuf, http/json or grpc) and wraps it in a batch processor. Not in the package's index,
    // hence the path (sdk-node has no "exports" map; the 0.221 line is pinned, the last that runs on Node 20). Using it
    // keeps every standard variable working while the scrubbing processor below runs first.
    import('@opentelemetry/sdk-node/build/src/utils.js'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-graphql'),
    import('@opentelemetry/instrumentation-express'),
  ]);
  const exporting = getSpanProcessorsFromEnv(undefined);
  if (exporting.length === 0) return undefined; // OTEL_TRACES_EXPORTER=none
  // Express is CommonJS imported from ESM: the SDK's require hook never sees it, only an ESM loader hook does
  // (import-in-the-middle, as @opentelemetry/instrumentation ships it). Limited to express: every other module loads
  // untouched. GraphQL needs none: its own files require each other, and the require hook patches those.
  const { register } = await import('node:module');
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: ['express'] } });
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'counterparty-subgraph',
    // W3C trace context only: the router's traceparent in, ours out. Not baggage: whatever a caller put there would
    // travel on to the vendors.
    textMapPropagator: new core.W3CTraceContextPropagator(),
    spanProcessors: [scrubbingProcessor, ...exporting.map(withoutStartupParsing)],
    // Traces only: metrics are Prometheus at /metrics, logs are pino on stdout (the SDK would otherwise export both).
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new http.HttpInstrumentation({
        // Vendor calls go through undici (its own instrumentation); node:http only serves.
        disableOutgoingRequestInstrumentation: true,
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?', 1)[0]!),
      }),
      // One span per HTTP attempt of a vendor call (retries are separate attempts), children of our vendor span.
      new undici.UndiciInstrumentation({ requireParentforSpans: true }),
      new graphql.GraphQLInstrumentation({
        // Neither variables (they hold INNs) nor literals (the source is recorded with every value as "*").
        allowValues: false,
        mergeItems: true,
        ignoreTrivialResolveSpans: true,
      }),
      // Express gives the server span its route: "POST /graphql" (http.route), not just "POST". Its spans per
      // middleware (the router secret, the body parser, Apollo's handler) are noise, microseconds each or the whole
      // operation again: ignored; route handlers (GET /) keep theirs.
      new express.ExpressInstrumentation({ ignoreLayersType: [express.ExpressLayerType.MIDDLEWARE] }),
    ],
  });
  sdk.start();
  enabled = true;
  return {
    shutdown: async () => {
      enabled = false;
      // Bounded: a collector that is down must not hold the exit for the exporter's timeouts (10 s per attempt).
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref()));
      await Promise.race([sdk.shutdown().catch(() => undefined), bound]);
      clearTimeout(timer);
    },
  };
}

// ─── Our own spans ──────────────────────────────────────────────────────────────────────────────────────────────

function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/**
 * Runs `run` inside a span `name` (the active span while it runs: what it calls becomes its children), ending it
 * when `run` settles; a rejection sets the span's status to ERROR with the error's code (never its message) as
 * `error.type`. With tracing off, `run(undefined)` and nothing else. Attributes must never hold an INN, a key, a
 * token or a URL: counts, names, codes. Build `attributes` only when `tracingEnabled()`, on hot paths.
 */
export function withSpan<T>(name: string, attributes: Attributes, run: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!enabled) return run(undefined);
  return tracer().startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, async (span) => {
    try {
      return await run(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks a span failed: status ERROR, `error.type` the error's code (VENDOR_TIMEOUT …) or its class name. */
export function failSpan(span: Span, error: unknown, code = errorCode(error)): void {
  span.setAttribute('error.type', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

function errorCode(error: unknown): string {
  const code = (error as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'Error';
}

/**
 * The wait of a replica for an entry another replica is fetching (the cross-replica lease of the cached fetch):
 * span `lease wait <method>` with `lease.method` and `lease.identifiers` (how many identifiers it waits for); the
 * caller may add `lease.outcome` (e.g. `filled`, `timeout`) through the span it is handed. Free when tracing is off:
 *
 *     const values = await traceLeaseWait(method, inns.length, (span) => waitForFill(keys, span));
 */
export function traceLeaseWait<T>(method: string, identifiers: number, wait: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!enabled) return wait(undefined);
  return withSpan(`lease wait ${method}`, { 'lease.method': method, 'lease.identifiers': identifiers }, wait);
}

/** The active context, to resume later in a callback that runs elsewhere (a retry's timer fired by a socket event). */
export function activeContext(): Context {
  return context.active();
}

/** Runs `fn` in a context captured earlier with `activeContext()`. */
export function inContext<T>(captured: Context, fn: () => T): T {
  return context.with(captured, fn);
}

// ─── Scrubbing ──────────────────────────────────────────────────────────────────────────────────────────────────

/** Attributes that hold a URL or a query string: their query values are dropped whatever they are. */
const URL_ATTRIBUTES = new Set(['url.full', 'url.query', 'http.url', 'http.target', 'url.original']);
/** Digit runs of 10 and more (INNs 10/12, OGRNs 13/15, accounts, phones): never in a span. */
const LONG_DIGITS = /\d{10,}/g;

/** `?inn=7707083893&key=abc` → `?inn=REDACTED&key=REDACTED` (the names stay: they say what the call asked). */
export function scrubQuery(text: string): string {
  const start = text.indexOf('?');
  if (start < 0 && !text.includes('=')) return text;
  const head = start < 0 ? '' : text.slice(0, start + 1);
  const query = start < 0 ? text : text.slice(start + 1);
  const [params, fragment] = query.split('#', 2) as [string, string | undefined];
  const scrubbed = params
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals < 0 ? pair : `${pair.slice(0, equals)}=REDACTED`;
    })
    .join('&');
  return `${head}${scrubbed}${fragment === undefined ? '' : '#'}`;
}

function scrubValue(name: string, value: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof value === 'string') {
    const text = URL_ATTRIBUTES.has(name) ? scrubQuery(redact(value)) : redact(value);
    return text.replace(LONG_DIGITS, '#');
  }
  if (Array.isArray(value))
    return value.map((item: unknown) => (typeof item === 'string' ? redact(item).replace(LONG_DIGITS, '#') : item)) as AttributeValue;
  return value;
}

function scrubAttributes(attributes: Attributes): Attributes {
  const scrubbed: Attributes = {};
  for (const [name, value] of Object.entries(attributes)) scrubbed[name] = scrubValue(name, value);
  return scrubbed;
}

/**
 * The last word on every span before it is exported (SpanProcessor.onEnding, while the span is still writable): URL
 * query values dropped, and every string attribute — of the span and of its events (an exception's message) — and
 * the name and status message redacted (registered secrets, URL credentials, bearer values, cards) with digit runs
 * of 10 and more masked. The instrumentations already keep variables and literals out; this makes sure.
 */
const scrubbingProcessor: SpanProcessor = {
  onStart(): void {},
  onEnding(span): void {
    for (const [name, value] of Object.entries(span.attributes)) {
      const scrubbed = scrubValue(name, value);
      if (scrubbed !== value && scrubbed !== undefined) span.setAttribute(name, scrubbed);
    }
    for (const event of span.events) if (event.attributes) event.attributes = scrubAttributes(event.attributes);
    const name = scrubValue('', span.name) as string;
    if (name !== span.name) span.updateName(name);
    if (span.status.message) span.status.message = scrubValue('', span.status.message) as string;
  },
  onEnd(): void {},
  forceFlush: async () => {},
  shutdown: async () => {},
};

/**
 * An exporting processor without the GraphQL instrumentation's root spans: the schema and the gql`` documents parsed
 * at start-up, dozens of one-span traces per process start. Every GraphQL span of an operation has a parent (the
 * server span).
 */
function withoutStartupParsing(processor: SpanProcessor): SpanProcessor {
  return {
    onStart: (span, parentContext) => processor.onStart(span, parentContext),
    onEnd: (span) => {
      if (span.parentSpanContext === undefined && span.instrumentationScope.name === '@opentelemetry/instrumentation-graphql') return;
      processor.onEnd(span);
    },
    forceFlush: () => processor.forceFlush(),
    shutdown: () => processor.shutdown(),
  };
}
