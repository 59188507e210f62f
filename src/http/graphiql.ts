import path from 'node:path';
import { createRequire } from 'node:module';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/** The query GraphiQL opens with: a company from the bundled real fixtures, so it answers in sandbox mode too. */
export const EXAMPLE_QUERY = `# Press ▶ to run. Other INNs to try: 7736050003 (two registrations),
# 4401006984 (liquidated), 366512608416 (sole proprietor).
query Company($inn: String = "6663003127") {
  company(inn: $inn) {
    inn
    ogrn
    shortName
    status { code text date isActive }
    legalAddress { oneLine }
    heads { fio position since }
    expressReport { green yellow red }
    activities { code name isPrincipal }
  }
}
`;

/**
 * GraphiQL served from the installed packages (graphiql 3 UMD build with React 18): no CDN, works offline.
 * Assets live under /graphiql/; the page is served for browser GETs of the GraphQL endpoint.
 */
export function graphiqlAssets(): Router {
  const router = express.Router();
  const files: Record<string, string> = {
    'react.js': path.join(packageDir('react'), 'umd/react.production.min.js'),
    'react-dom.js': path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
    'graphiql.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
    'graphiql.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
  };
  for (const [name, file] of Object.entries(files)) {
    router.get(`/${name}`, (_req, res) => {
      res.setHeader('cache-control', 'public, max-age=86400');
      res.sendFile(file);
    });
  }
  return router;
}

export function graphiqlPage(endpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Counterparty subgraph — GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/graphiql.css" />
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/react.js"></script>
  <script src="/graphiql/react-dom.js"></script>
  <script src="/graphiql/graphiql.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(EXAMPLE_QUERY)}, defaultEditorToolsVisibility: true })
    );
  </script>
</body>
</html>`;
}
