import { ANALYTICS_INDICATORS } from '../../src/modules/kontur-focus/vendor/analytics-catalog.ts';

/** Every Company field, every analytics indicator by name: resolving it touches every mapping. */
export const EVERY_COMPANY_FIELD = `
  inn ogrn kind kpp shortName fullName opf okpo okato oktmo okfs okogu okopf
  status { code text date isActive }
  registrationDate dissolutionDate region
  legalAddress { oneLine zipCode regionCode region city street house flat }
  heads { fio innfl position since }
  managementCompanies { name inn ogrn since }
  branches { name kpp address { oneLine } foreignAddress since }
  focusUrl
  expressReport { green yellow red }
  contactPhonesCount
  registrations { ogrn kind name status { code } registrationDate dissolutionDate focusUrl isCurrent }
  activities { code name okvedVersion isPrincipal since }
  founders {
    persons { fio innfl share { sum percent } since }
    companies { name inn ogrn share { sum percent } since }
    foreign { name country share { sum percent } since }
  }
  statedCapital { amount date }
  taxAuthority { code name registeredOn kpp }
  registrationAuthority { code name registeredOn kpp }
  registrationInfo { ogrnDate previousRegistrationNumber previousRegistrar }
  fundNumbers { pensionFund socialInsuranceFund medicalInsuranceFund }
  predecessors { name inn ogrn }
  successors { name inn ogrn }
  analytics { ${ANALYTICS_INDICATORS.map((indicator) => indicator.field).join(' ')} indicators { code value description } }
  licences { number issuer source activity services addresses validFrom validTo statusText }
  financials { year organizationType revenue netProfit balance lines { form code name startValue endValue } }
`;
