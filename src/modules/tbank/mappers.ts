/** What the resolvers of each GraphQL type receive (codegen maps type `X` to `XMapper`). */
import type { Connection } from '../../common/relay.ts';
import type { TbankContract } from './vendor/schemas.ts';

export type { TbankCheckRef as TbankCheckMapper } from './model.ts';
export type { TbankContract as StateContractMapper } from './vendor/schemas.ts';
export type StateContractConnectionMapper = Connection<TbankContract>;
