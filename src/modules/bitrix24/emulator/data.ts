/**
 * The emulated portal's tables (shared/vendors/bitrix24.md §3.6, §4.3, §4.4) and the sandbox seed: companies whose
 * ИНН the Kontur.Focus emulator knows from its captured fixtures, each with a requisite in the preset its ИНН length
 * calls for (10 digits organisation, 12 ИП) holding only what a manager types (NAME, RQ_INN), and one deal.
 */

/** The default Russian presets (`crm.requisite.preset.list`, filter COUNTRY_ID 1), §4.3. */
export const PRESETS = [
  { ID: '1', NAME: 'Организация', XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_COMPANY#', COUNTRY_ID: '1', SORT: '500' },
  { ID: '2', NAME: 'ИП', XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_INDIVIDUAL#', COUNTRY_ID: '1', SORT: '500' },
  { ID: '3', NAME: 'Физ. лицо', XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_PERSON#', COUNTRY_ID: '1', SORT: '500' },
  { ID: '4', NAME: 'Организация (доп.)', XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_COMPANY_ADD#', COUNTRY_ID: '1', SORT: '500' },
] as const;

/** Entity type ids (ENTITY_TYPE_ID) of the CRM: contact, company, requisite. */
export const ENTITY_TYPE = { contact: 3, company: 4, requisite: 8 } as const;

/** Address types (`crm.enum.addresstype`), §4.4: 6 is the legal address. */
export const ADDRESS_TYPES = [1, 4, 6, 8, 9, 11] as const;

/**
 * Deal pipelines: category 0 (stage ids without prefix) and category 2 (`C2:` prefix), §3.6. The semantic: P in
 * progress, S won, F lost.
 */
export const PIPELINES: Record<number, Array<{ id: string; semantic: 'P' | 'S' | 'F' }>> = {
  0: [
    { id: 'NEW', semantic: 'P' },
    { id: 'PREPARATION', semantic: 'P' },
    { id: 'CONTRACT', semantic: 'P' },
    { id: 'EXECUTING', semantic: 'P' },
    { id: 'WON', semantic: 'S' },
    { id: 'LOSE', semantic: 'F' },
  ],
  2: [
    { id: 'C2:NEW', semantic: 'P' },
    { id: 'C2:PREPARATION', semantic: 'P' },
    { id: 'C2:CONTRACT', semantic: 'P' },
    { id: 'C2:WON', semantic: 'S' },
    { id: 'C2:LOSE', semantic: 'F' },
  ],
};

export interface SeedCompany {
  title: string;
  inn: string;
  deal: { title: string; stage: string; opportunity: string };
}

/** ИНН of the Kontur.Focus emulator's captured fixtures (fixtures/kontur-focus/<inn>.req.json). */
export const SANDBOX_COMPANIES: readonly SeedCompany[] = [
  { title: 'Газпром', inn: '7736050003', deal: { title: 'Поставка труб', stage: 'NEW', opportunity: '1500000.00' } },
  { title: 'РЖД', inn: '7708503727', deal: { title: 'Перевозка грузов', stage: 'PREPARATION', opportunity: '820000.00' } },
  { title: 'СКБ Контур', inn: '6663003127', deal: { title: 'Лицензии', stage: 'CONTRACT', opportunity: '96000.00' } },
  { title: 'Ромашка', inn: '7725604637', deal: { title: 'Аренда склада', stage: 'C2:NEW', opportunity: '240000.00' } },
  { title: 'ИП Введенский', inn: '366512608416', deal: { title: 'Разработка сайта', stage: 'C2:CONTRACT', opportunity: '150000.00' } },
];
