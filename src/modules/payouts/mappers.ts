/** What the resolvers of each GraphQL type receive (codegen maps type `X` to `XMapper`). */
export type {
  ContractorRef as ContractorMapper,
  ContractorConnectionModel as ContractorConnectionMapper,
  PaymentModel as PaymentMapper,
  PaymentConnectionModel as PaymentConnectionMapper,
  CreatePaymentOutcome as CreatePaymentResultMapper,
} from './model.ts';
