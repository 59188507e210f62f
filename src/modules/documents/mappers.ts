/** What the resolvers of each GraphQL type receive (codegen maps type `X` to `XMapper`). */
export type { DocumentRef as DocumentMapper } from './model.ts';
