import { describe, expect, it } from 'vitest';
import { withSubgraph } from '../support/subgraph.ts';

describe('GraphiQL', () => {
  const env = withSubgraph();

  it('a browser GET of /graphql gets the GraphiQL page with the example query, using only local assets', async () => {
    const response = await fetch(`${env.subgraph.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<script src="/graphiql/graphiql.js"></script>');
    expect(html).toContain('company(inn: $inn)');
    expect(html).not.toMatch(/https?:\/\/(?!specs)/);
  });

  it.each([
    ['/graphiql/graphiql.js', 'text/javascript; charset=utf-8'],
    ['/graphiql/graphiql.css', 'text/css; charset=utf-8'],
    ['/graphiql/react.js', 'text/javascript; charset=utf-8'],
    ['/graphiql/react-dom.js', 'text/javascript; charset=utf-8'],
  ])('serves %s from the installed packages', async (path, type) => {
    const response = await fetch(`${env.subgraph.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect((await response.text()).length).toBeGreaterThan(1000);
  });

  it('the example query the page opens with answers in the sandbox', async () => {
    const { EXAMPLE_QUERY } = await import('../../src/http/graphiql.ts');
    const result = await env.subgraph.gql(EXAMPLE_QUERY);
    expect(result.errors).toBeUndefined();
    expect(result.data.company.shortName).toBe('АО "ПФ "СКБ Контур"');
  });
});
