/** What the resolvers of each GraphQL type receive (codegen maps type `X` to `XMapper`). */
import type { Connection } from '../../common/relay.ts';
import type { FocusFsspItem, FocusPurchase } from '../kontur-focus/index.ts';

export type {
  FocusFsspItem as FsspProceedingMapper,
  FocusPurchase as PurchaseMapper,
  FocusPurchase as ContractMapper,
  FocusPurchaseParty as PurchasePartyMapper,
  FocusPurchaseObject as PurchaseObjectMapper,
  FocusPrice as MoneyMapper,
  FocusStat as FocusQuotaMapper,
} from '../kontur-focus/index.ts';
export type FsspProceedingConnectionMapper = Connection<FocusFsspItem>;
export type PurchaseConnectionMapper = Connection<FocusPurchase>;
