import type {
  ActivityResolvers,
  AuthorityResolvers,
  FounderCompanyResolvers,
  FounderForeignResolvers,
  FounderPersonResolvers,
  FoundersResolvers,
  RelatedCompanyResolvers,
} from '../../../generated/graphql.ts';
import type { FocusShare } from '../../kontur-focus/index.ts';

/** Types mapped from Kontur.Focus egrDetails records (see codegen.ts mappers). */

export const Activity: ActivityResolvers = {
  code: ({ activity }) => activity.code!,
  name: ({ activity }) => activity.text ?? null,
  okvedVersion: ({ okvedVersion }) => okvedVersion,
  isPrincipal: ({ isPrincipal }) => isPrincipal,
  since: ({ activity }) => activity.date ?? null,
};

export const Founders: FoundersResolvers = {
  persons: (ul) => ul.foundersFL.map((founder) => ({ founder, capital: ul.statedCapital?.sum })),
  companies: (ul) => ul.foundersUL.map((founder) => ({ founder, capital: ul.statedCapital?.sum })),
  foreign: (ul) => ul.foundersForeign.map((founder) => ({ founder, capital: ul.statedCapital?.sum })),
};

/** Percent as registered, else from the nominal sum and the capital (only when both are known). */
function shareOf(share: FocusShare | undefined, capital: number | undefined) {
  if (!share || (share.sum === undefined && share.percentagePlain === undefined && share.percentageNominator === undefined)) return null;
  let percent = share.percentagePlain ?? null;
  if (percent === null && share.percentageNominator !== undefined && share.percentageDenominator) {
    percent = (share.percentageNominator / share.percentageDenominator) * 100;
  }
  if (percent === null && share.sum !== undefined && capital) percent = (share.sum / capital) * 100;
  return { sum: share.sum ?? null, percent: percent === null ? null : Math.round(percent * 10_000) / 10_000 };
}

export const FounderPerson: FounderPersonResolvers = {
  fio: ({ founder }) => founder.fio ?? null,
  innfl: ({ founder }) => founder.innfl ?? null,
  share: ({ founder, capital }) => shareOf(founder.share, capital),
  since: ({ founder }) => founder.firstDate ?? founder.date ?? null,
};

export const FounderCompany: FounderCompanyResolvers = {
  name: ({ founder }) => founder.fullName ?? null,
  inn: ({ founder }) => founder.inn ?? null,
  ogrn: ({ founder }) => founder.ogrn ?? null,
  share: ({ founder, capital }) => shareOf(founder.share, capital),
  since: ({ founder }) => founder.firstDate ?? founder.date ?? null,
};

export const FounderForeign: FounderForeignResolvers = {
  name: ({ founder }) => founder.fullName ?? null,
  country: ({ founder }) => founder.country ?? null,
  share: ({ founder, capital }) => shareOf(founder.share, capital),
  since: ({ founder }) => founder.firstDate ?? founder.date ?? null,
};

export const Authority: AuthorityResolvers = {
  code: (body) => body.nalogCode ?? null,
  name: (body) => body.nalogName ?? null,
  registeredOn: (body) => body.nalogRegDate ?? body.date ?? null,
  kpp: (body) => body.kpp ?? null,
};

export const RelatedCompany: RelatedCompanyResolvers = {
  name: (company) => company.name ?? null,
  inn: (company) => company.inn ?? null,
  ogrn: (company) => company.ogrn ?? null,
};
