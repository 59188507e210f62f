/**
 * The response examples embedded in T-Bank's OpenAPI document (shared/seeds/002_749130acc833b33c.txt, the operations
 * from `/api/v1/counterparty/contracts:`), with the nesting rebuilt as the vendor reference (§7) describes, kept
 * verbatim otherwise: placeholder identifiers, "+03:00" and "Z" dates, money strings, int64 numbers, the Java
 * BigInteger leak. Tests feed them through the emulator (setExcerpt / setContracts) to check the parsing end to end.
 */

const status = { isActing: true, date: '2023-04-24+03:00', type: 'Действующее', code: 24, groupId: 1, groupName: 'Действующее' };

const expressExcerpt = {
  inn: '000000000000',
  companyType: 'company',
  companyWithSameInfo: {
    sameManager: { manager: 'Фамилия Имя Отчество', managerCountInCountry: 1, managerInnCount: 0 },
    sameAddress: { address: 'г. Москва, ул. Арбат', addressCount: 51 },
    samePhone: { phoneCode: '342', phoneNumber: '0000000', phoneCount: 1 },
  },
  negativeLists: [],
  status,
  okvedInfo: { code: '50.00.0', name: 'Перевозка', okvedCount: 21 },
  netIncome: { periodName: '2020', dateBegin: '2020-01-01+03:00', dateEnd: '2020-12-31+03:00', sum: '-96527133000' },
  taxYears: { minYear: 2015, maxYear: 2020 },
  financeYears: { minYear: 2015, maxYear: 2020 },
  stateContractYears: { minYear: 2006, maxYear: 2013 },
  activeProceedingsCount: 65,
  bankruptcyMessage: {
    idType: 7,
    messageType: 'Тип сообщения',
    date: '2021-10-26Z',
    decisionDate: '2021-10-19Z',
    caseNumber: 'А56-13391/2020',
    caseId: 23040734,
  },
  frozenAccountDecisions: [],
  arbitrationCasesInfo: { year: 2018, count: 23 },
};

const companyCard = {
  statusType: 'active',
  requisites: {
    inn: '000000000000',
    ogrn: '1000000000000',
    kpp: '000000000',
    shortName: 'ПАО "НАЗВАНИЕ"',
    fullName: 'ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО "НАЗВАНИЕ"',
    dateReg: '1996-06-21',
    terminationDt: '2020-11-20',
    status: 'Действующая организация',
    authorizedCapitalAmount: 3975771140,
    ogrnAssignDate: '2000-01-01',
    legalAddress: '119019, г Москва, ул Арбат',
    city: 'Москва',
  },
  pages: ['okved', 'contract', 'license', 'history', 'trafficLight', 'feedback', 'financialStatements'].map((page) => ({ page })),
};

const contracts = [
  {
    contractId: '0173200000000000071',
    counterpartyOgrn: '1000000000000',
    purchaseObjectTypeName: 'Услуги',
    stageCode: 'completed',
    role: 'supplier',
    price: 612000,
  },
  {
    contractId: '1490000000000000006',
    counterpartyOgrn: '1000000000000',
    purchaseObjectTypeName: 'Услуги',
    stageCode: 'execution',
    role: 'supplier',
    price: 664976,
  },
  {
    contractId: '1870000000000000002',
    counterpartyOgrn: '1000000000000',
    purchaseObjectTypeName: 'Услуги',
    stageCode: 'execution',
    role: 'supplier',
    price: 6000000,
  },
];

const colored = <T>(value: T, color: string) => ({ value, color });

/** GET /api/v1/counterparty/excerpt — the 200 example. */
export const EXAMPLE_EXCERPT = {
  companyType: 'company',
  companyExcerpt: {
    shortName: '',
    inn: '000000000000',
    ogrn: '1000000000000',
    okpo: '0000000000',
    isActing: true,
    normName: 'Название, ОАО',
    shortNameRus: 'ОАО "Название"',
    shortNameEn: 'OAO "Name"',
    dateFirstReg: '1999-01-01',
    fullNameRus: 'ОТКРЫТОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО "НАЗВАНИЕ"',
    kpp: '000000000',
    bik: '000000000',
    email: 'example@example.ru',
    www: 'www.example.ru',
    registerNumber: '',
    okato: { value: '', code: '00086552000', regionName: 'Москва', regionCode: 45 },
    status: { ...status, text: '' },
    phones: [
      { code: '342', number: '0000000' },
      { code: '384', number: '0000000' },
      { code: '385', number: '0000000' },
    ],
    finance: {
      balanceType: 1,
      periods: [
        {
          periodName: '2015',
          dateBegin: '2015-01-01+03:00',
          dateEnd: '2015-12-31+03:00',
          data: [
            { form: 'Баланс', section: 'Актив', name: 'Нематериальные активы', code: '1110', value: '554779000', id: 1 },
            { form: 'Баланс', section: 'Актив', name: 'Основные средства', code: '1150', value: '11502405000', id: 5 },
            { form: 'Баланс', section: 'Актив', name: 'Долгосрочные финансовые вложения', code: '1170', value: '13980027000', id: 12 },
          ],
        },
        {
          periodName: '2016',
          dateBegin: '2016-01-01+03:00',
          dateEnd: '2016-12-31+03:00',
          data: [
            { form: 'Баланс', section: 'Актив', name: 'Нематериальные активы', code: '1110', value: '50345000', id: 1 },
            { form: 'Баланс', section: 'Актив', name: 'Основные средства', code: '1150', value: '10687759000', id: 5 },
            {
              form: 'Баланс',
              section: 'Актив',
              name: 'Доходные вложения в материальные ценности',
              code: '1160',
              value: '636050000',
              id: 9,
            },
          ],
        },
        {
          periodName: '2017',
          dateBegin: '2017-01-01+03:00',
          dateEnd: '2017-12-31+03:00',
          data: [
            { form: 'Баланс', section: 'Актив', name: 'Нематериальные активы', code: '1110', value: '69825000', id: 1 },
            { form: 'Баланс', section: 'Актив', name: 'Основные средства', code: '1150', value: '11072450000', id: 5 },
            {
              form: 'Баланс',
              section: 'Актив',
              name: 'Доходные вложения в материальные ценности',
              code: '1160',
              value: '566919000',
              id: 9,
            },
          ],
        },
      ],
    },
    leaders: [
      {
        actualDate: '2020-12-01+03:00',
        name: 'Фамилия Имя Отчество',
        position: 'генеральный директор',
        managementCompany: '',
        managementCompanyINN: '000000000000',
      },
    ],
    structure: {
      countCoownerFCSM: 1,
      countCoownerRosstat: 1,
      countCoownerEGRUL: 1,
      countBranch: 0,
      countBranchRosstat: 36,
      countBranchEGRUL: 139,
    },
    proceedings: { active: 65, executed: 1326 },
    charterCapital: { value: '1110616000', date: '2000-01-01+04:00', currencyCode: '', currencyName: '' },
    companyWithSameInfo: {
      telephoneCount: { value: 1, phoneCode: '342', phoneNumber: '2901202' },
      phoneList: [],
      addressCount: 51,
      addressWithoutRoomCount: 60,
      addressNotAffiliatedCount: 51,
      addressFTSCount: 26,
      managerCountInCountry: 1,
      managerCountInRegion: 1,
      managerInnCount: 0,
    },
    companyLiquidatedWithSameInfo: { addressCount: 10, addressWithoutRoomCount: 10 },
    arbitrationCases: {
      cases: [
        {
          year: 2006,
          plaintiff: { casesNumber: 2, sum: '17369466' },
          defendant: { casesNumber: 0, sum: '0' },
          thirdOrOtherPerson: { casesNumber: 0 },
        },
        {
          year: 2005,
          plaintiff: { casesNumber: 2, sum: '0' },
          defendant: { casesNumber: 0, sum: '0' },
          thirdOrOtherPerson: { casesNumber: 0 },
        },
        {
          year: 2004,
          plaintiff: { casesNumber: 2, sum: '0' },
          defendant: { casesNumber: 0, sum: '0' },
          thirdOrOtherPerson: { casesNumber: 0 },
        },
      ],
      total: 703,
      considered: 35,
      appealed: 4,
      decisionsAndRulings: 13,
      completed: 651,
    },
    federalTaxRegistrationPayment: {
      regDate: '2010-01-25+03:00',
      regAuthority: 'Инспекция Федеральной налоговой службы',
      regAuthorityAddress: '119048, Москва г, Доватора ул',
      regAuthorityCode: '7704',
    },
    okved: [
      { code: '51.10.1', name: 'Перевозка', isMain: true, isMainEgrul: true, isMainRosstat: true },
      { code: '18.12', name: 'Прочие виды полиграфической деятельности', isMain: false, isMainEgrul: false, isMainRosstat: false },
    ],
    stateContracts: {
      federalLaw94: [
        {
          year: 2013,
          tenders: { admittedNumber: 69, notAdmittedNumber: 0, winnerNumber: 69 },
          contracts: { signedNumber: 69, sum: '91800339' },
        },
      ],
      federalLaw223: [],
    },
    address: [
      {
        postCode: '119002',
        address: 'г. Москва, ул. Арбат',
        streetName: 'ул. Арбат',
        buildingNumber: '10',
        fiasGUID: 'b30b63a1-c2be-4efc-9d0c-c9b6d7438e15',
        isHouseFiasGUID: false,
        fiasCode: '770000000000000000000000000',
        fiasRegion: '77',
        actualDate: '2018-03-21+03:00',
        buildingType: 'дом',
        businessCenterName: 'Бизнес-центр',
      },
    ],
    fts: [],
    includeInList: [
      { isNegative: false, id: 6, listName: 'Компании, сдающие отчетность' },
      { isNegative: false, id: 7, listName: 'Предприятия' },
      { isNegative: false, id: 8, listName: 'Компании' },
    ],
    bankruptcyMessage: [],
    expressExcerpt,
  },
  entrepreneurExcerpt: {
    inn: '000000000000',
    ogrnip: '300000000000000',
    okpo: '0000000000',
    sex: 'man',
    okato: { value: '', code: '00000000000', regionName: 'Московская область', regionCode: 46 },
    okopf: { code: '50102', name: 'Индивидуальные предприниматели' },
    phoneList: [],
    status: { isActing: true, date: '2017-07-06+03:00', text: 'Действующее', code: 24, groupId: 1, groupName: 'Действующее' },
    includeInList: [{ isNegative: false, id: 26, listName: 'Реестр субъектов' }],
    citizenship: { code: 643, name: 'Российская Федерация' },
    okved: [{ code: '63.91', name: 'Деятельность информационных агентств', isMain: true }],
    submittedStatements: [],
    bankruptcyMessage: [],
    expressExcerpt: { ...expressExcerpt, okvedInfo: { code: '51.10.1', name: 'Перевозка', okvedCount: 21 } },
  },
  companyCard,
  excerpt: {
    requisites: {
      legalForm: 'ПУБЛИЧНЫЕ АКЦИОНЕРНЫЕ ОБЩЕСТВА',
      organizationSizeDesc: 'Описание',
      entityRegistrationDate: '2010-01-25',
      regAuthorityAddressTxt: '125373, гор. Москва, Походный Проезд',
      regAuthorityName: 'Межрайонная Инспекция Федеральной Налоговой Службы',
    },
    okvedSummary: {
      count: 22,
      main: [{ code: '51.10.1', description: 'Перевозка.' }],
      additional: [{ code: '18.12.1', description: 'Прочие виды деятельности.' }],
    },
    contractSummary: { count: 164, admittedCount: 40, notAdmittedCount: 94, totalValue: 3.2823479357625e10 },
    licenseSummary: { total: 10, active: 10, inactive: 0 },
    trafficLightColors: { redCount: 1, yellowCount: 5, greenCount: 14 },
    innerCheckResult: {
      bankruptcyMessage: colored(
        {
          idType: 7,
          messageType: 'Тип сообщения',
          date: '2011-10-26Z',
          decisionDate: '2011-10-19Z',
          caseNumber: 'А56-00000/2010',
          caseId: 0,
        },
        'green',
      ),
      plaintiff: colored({ minDate: 2004, maxDate: 2018, totalCases: 470 }, 'yellow'),
      thirdOrOtherPerson: colored({ minDate: 2007, maxDate: 2018, totalCases: 85 }, 'yellow'),
      defendant: colored({ minDate: 2007, maxDate: 2018, totalCases: 157 }, 'yellow'),
      defendantDynamic: colored({ lastYear: 2019, prevLastYear: 2018, percent: 50 }, 'none'),
      executedProceedings: colored(1326, 'yellow'),
      activeProceedings: colored(65, 'red'),
      sameManager: colored(
        { inn: '000000000000', sameManager: { manager: 'Фамилия Имя Отчество', managerCountInCountry: 1, managerInnCount: 1 } },
        'red',
      ),
      sameAddressNumber: colored(51, 'yellow'),
      finance: colored(
        {
          balanceType: 1,
          periods: ['2015', '2016', '2017'].map((year) => ({
            periodName: year,
            dateBegin: `${year}-01-01+03:00`,
            dateEnd: `${year}-12-31+03:00`,
            data: [],
          })),
        },
        'green',
      ),
      isNegative: colored({ negativeListsCount: 0 }, 'green'),
      unfairSupplier: colored({ isNegative: true, id: 1, listName: 'Название' }, 'green'),
      invalidLegalAddress: colored({ isNegative: true, id: 1, listName: 'Название' }, 'green'),
      disqualifiedPersons: colored({ isNegative: true, id: 1, listName: 'Название' }, 'green'),
      taxReport: colored('2023-04-25', 'none'),
      taxDebt: colored({ sum: 10, statDate: '2000-01-01' }, 'green'),
    },
    checkResult: {
      status: colored('Действующая организация', 'none'),
      registrationDate: colored('1994-06-21', 'green'),
      legalAddressChangeDate: colored('2019-07-10', 'green'),
      founderChangeDate: colored('2021-10-25', 'green'),
      confidantChangeDate: colored('2022-04-18', 'green'),
      authorizedCapitalAmount: colored(3975771140, 'green'),
      admittedContractsAsSupplier: colored({ count: 40, totalValue: 27523079541 }, 'green'),
      legalForm: colored('Публичные акционерные общества', 'green'),
      okvedCount: colored(22, 'none'),
      licensedOkvedCount: colored(0, 'none'),
      riskLevel: colored(0, 'none'),
    },
    relationSummary: { total: 10, relatedByFounder: 0, relatedByConfidant: 0 },
    relatedCompanies: [{ name: 'ООО "Название"', ogrn: '1000000000000', inn: '000000000000' }],
    leaders: [{ actualDate: '2022-01-01', name: 'Фамилия Имя Отчество', position: 'ГЕНЕРАЛЬНЫЙ ДИРЕКТОР' }],
    founders: [],
    history: [
      {
        paramText: 'организации',
        changeDate: '2022-09-06',
        paramName: 'auth_cap',
        oldParamValue: '2444535550.00',
        paramValue: '3975771140.00',
      },
    ],
    licenses: [
      {
        no: '14761-АТ',
        authorityName: 'МИНИСТЕРСТВО',
        date: '2020-07-29',
        startDate: '2020-07-30',
        address: [],
        activity: ['РАЗРАБОТКА'],
        status: 'active',
      },
      {
        no: 'Л041-01162-50/00369716',
        authorityName: 'ФЕДЕРАЛЬНАЯ СЛУЖБА ПО НАДЗОРУ В СФЕРЕ ЗДРАВООХРАНЕНИЯ',
        date: '2020-04-09',
        startDate: '2020-04-09',
        address: [],
        activity: ['МЕДИЦИНСКАЯ ДЕЯТЕЛЬНОСТЬ'],
        status: 'active',
      },
      {
        no: 'Л042-01137-77/00283899',
        authorityName: 'ДЕПАРТАМЕНТ ЗДРАВООХРАНЕНИЯ',
        date: '2019-10-03',
        startDate: '2019-10-03',
        address: [],
        activity: ['ФАРМАЦЕВТИЧЕСКАЯ ДЕЯТЕЛЬНОСТЬ'],
        status: 'active',
      },
    ],
    contracts,
    financialStatementsResponse: {
      reason: { reasonCode: 'lessThanYear', reasonText: 'Компании меньше года' },
      financialStatementsData: {
        year: 2021,
        revenue: {
          name: 'Выручка',
          value: 378657216000,
          valueDiff: 148890851000,
          values: [
            { year: 2019, value: 551767420000 },
            { year: 2020, value: 229766365000, valueDiff: -322001055000 },
            { year: 2021, value: 378657216000, valueDiff: 148890851000 },
          ],
        },
        profit: {
          name: 'Прибыль',
          value: -45639139000,
          valueDiff: 50887994000,
          values: [
            { year: 2019, value: 5286800000 },
            { year: 2020, value: -96527133000, valueDiff: -101813933000 },
            { year: 2021, value: -45639139000, valueDiff: 50887994000 },
          ],
        },
        accountsPayable: {
          name: 'Кредиторский долг',
          value: 100062394000,
          valueDiff: -7293171000,
          values: [
            { year: 2019, value: 95785513000 },
            { year: 2020, value: 107355565000, valueDiff: 11570052000 },
            { year: 2021, value: 100062394000, valueDiff: -7293171000 },
          ],
        },
        accountsReceivable: {
          name: 'Дебиторский долг',
          value: 83489186000,
          valueDiff: 1918241000,
          values: [
            { year: 2019, value: 104635508000 },
            { year: 2020, value: 81570945000, valueDiff: -23064563000 },
            { year: 2021, value: 83489186000, valueDiff: 1918241000 },
          ],
        },
      },
    },
  },
};

/** GET /api/v1/counterparty/contracts — the 200 example (164 contracts in all; the example shows three). */
export const EXAMPLE_CONTRACTS = { companyCard, data: { total: 164, items: contracts } };

/**
 * The example as T-Bank would answer it for this INN: the vendor's placeholder INN "000000000000" of the company
 * replaced in every place that states the company's own INN (the card, both SPARK blocks and their express
 * excerpts), everything else verbatim. The client refuses an excerpt naming another INN than the one asked, and the
 * placeholder itself is no valid INN to ask for, so tests feed the example through this.
 */
export function exampleExcerptFor(inn: string): typeof EXAMPLE_EXCERPT {
  const { companyExcerpt, entrepreneurExcerpt } = EXAMPLE_EXCERPT;
  return {
    ...EXAMPLE_EXCERPT,
    companyCard: { ...companyCard, requisites: { ...companyCard.requisites, inn } },
    companyExcerpt: { ...companyExcerpt, inn, expressExcerpt: { ...companyExcerpt.expressExcerpt, inn } },
    entrepreneurExcerpt: { ...entrepreneurExcerpt, inn, expressExcerpt: { ...entrepreneurExcerpt.expressExcerpt, inn } },
  };
}
