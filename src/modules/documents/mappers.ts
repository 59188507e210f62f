/** What the resolvers of each GraphQL type receive (codegen maps type `X` to `XMapper`). */
export type { ReportRef as DocumentMapper, ExcerptRef as ExcerptMapper } from './model.ts';
