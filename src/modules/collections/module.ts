import { defineModule } from '../contract.ts';
import { resolvers } from './resolvers/index.ts';
import { UsageService } from './usage.ts';

declare module '../contract.ts' {
  interface ModuleConfigs {
    collections: Record<string, never>;
  }
  interface ModuleServices {
    collections: UsageService;
  }
}

declare module '../../common/context.ts' {
  interface GraphQLContext {
    /** The Kontur.Focus key's usage. */
    usage: UsageService;
  }
}

/** Kontur.Focus lists: enforcement proceedings, government purchases, contact phones, and the key's usage. */
export const collectionsModule = defineModule({
  name: 'collections',
  needs: ['focus'],
  config: () => ({}),
  services: (_core, { focus }) => new UsageService(focus.client, focus.keyed),
  context: (usage) => ({ usage }),
  schema: ['collections.graphql'],
  resolvers,
});
