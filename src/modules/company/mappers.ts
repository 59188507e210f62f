/**
 * What the resolvers of each GraphQL type receive: codegen maps type `X` to `XMapper` exported here (convention,
 * read by codegen.ts from every src/modules/<name>/mappers.ts).
 */
export type { CompanyRef as CompanyMapper } from './model.ts';
export type {
  CompanyStatusModel as CompanyStatusMapper,
  AddressModel as AddressMapper,
  HeadModel as HeadMapper,
  ManagementCompanyModel as ManagementCompanyMapper,
  BranchModel as BranchMapper,
} from '../../domain/company.ts';
export type {
  ExpressReportRef as ExpressReportMapper,
  RegistrationRef as RegistrationMapper,
  CompanyHistoryRef as CompanyHistoryMapper,
  ActivityRef as ActivityMapper,
  FounderPersonRef as FounderPersonMapper,
  FounderCompanyRef as FounderCompanyMapper,
  FounderForeignRef as FounderForeignMapper,
} from './model.ts';
export type {
  FocusEgrUL as FoundersMapper,
  FocusRegBody as AuthorityMapper,
  FocusSuccessor as RelatedCompanyMapper,
  FocusAnalyticsValues as AnalyticsMapper,
  FocusLicence as LicenceMapper,
  FocusBuhForm as FinancialYearMapper,
} from '../kontur-focus/index.ts';
