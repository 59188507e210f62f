/**
 * Every Jump.Finance operation the subgraph calls, with its method, path and where the path comes from — the one
 * place a path changes. `OAS`: the vendor's OpenAPI 2.0 file. `1C`: only the "Finance 1C API" document
 * (shared/seeds/003_…), which names the operations and their fields but not their paths: those paths are our
 * reading (shared/vendors/jump-finance.md §6.4) until Jump.Finance confirms them, and the README lists them.
 * `{name}` placeholders are filled, URL-encoded, by `operationPath`.
 */
export const JUMP_OPERATIONS = {
  // Contractors, requisites, balances, self-employed state, identification [OAS]
  'contractors.list': { method: 'GET', path: '/contractors', source: 'OAS' },
  'contractors.upsert': { method: 'POST', path: '/contractors', source: 'OAS' },
  'contractors.get': { method: 'GET', path: '/contractors/{contractor_id}', source: 'OAS' },
  'contractors.update': { method: 'PUT', path: '/contractors/{contractor_id}', source: 'OAS' },
  'contractors.delete': { method: 'DELETE', path: '/contractors/{contractor_id}', source: 'OAS' },
  'contractors.requisites': { method: 'GET', path: '/contractors/{contractor_id}/requisites', source: 'OAS' },
  'contractors.balances': { method: 'GET', path: '/contractors/{contractor_id}/balances', source: 'OAS' },
  'contractors.balance': { method: 'GET', path: '/contractors/{contractor_id}/balances/{balance_id}', source: 'OAS' },
  'selfemployer.get': { method: 'GET', path: '/contractors/{contractor_id}/selfemployer', source: 'OAS' },
  'selfemployer.sync': { method: 'POST', path: '/contractors/{contractor_id}/selfemployer/sync', source: 'OAS' },
  'identification.create': { method: 'POST', path: '/contractors/{contractor_id}/identification-requests', source: 'OAS' },
  'identification.lastApproved': {
    method: 'GET',
    path: '/contractors/{contractor_id}/identification-requests/last-approved',
    source: 'OAS',
  },
  // Cooperations [1C]: path inferred under the contractor, PUT (not PATCH) inferred for the update
  'cooperations.list': { method: 'GET', path: '/contractors/{contractor_id}/cooperations', source: '1C' },
  'cooperations.create': { method: 'POST', path: '/contractors/{contractor_id}/cooperations', source: '1C' },
  'cooperations.get': { method: 'GET', path: '/contractors/{contractor_id}/cooperations/{cooperation_id}', source: '1C' },
  'cooperations.update': { method: 'PUT', path: '/contractors/{contractor_id}/cooperations/{cooperation_id}', source: '1C' },
  'cooperations.delete': { method: 'DELETE', path: '/contractors/{contractor_id}/cooperations/{cooperation_id}', source: '1C' },
  // Payouts [OAS]; the "extended" card and list [1C], paths unknown
  'payments.list': { method: 'GET', path: '/payments', source: 'OAS' },
  'payments.create': { method: 'POST', path: '/payments', source: 'OAS' },
  'payments.get': { method: 'GET', path: '/payments/{payment_id}', source: 'OAS' },
  'payments.byCustomerId': { method: 'GET', path: '/payments/customer-payment/{customer_payment_id}', source: 'OAS' },
  'payments.repeat': { method: 'POST', path: '/payments/{payment_id}/repeat', source: 'OAS' },
  'payments.extendedList': { method: 'GET', path: '/payments/extended', source: '1C' },
  'payments.extendedGet': { method: 'GET', path: '/payments/extended/{payment_id}', source: '1C' },
  // Acceptance certificates (ПСА) [1C], paths inferred
  'certificates.create': { method: 'POST', path: '/acceptance-certificates', source: '1C' },
  'certificates.list': { method: 'GET', path: '/acceptance-certificates', source: '1C' },
  'certificates.get': { method: 'GET', path: '/acceptance-certificates/{cert_id}', source: '1C' },
  'certificates.update': { method: 'PUT', path: '/acceptance-certificates/{cert_id}', source: '1C' },
  'certificates.pay': { method: 'POST', path: '/acceptance-certificates/{cert_id}/payment', source: '1C' },
  'certificates.docx': { method: 'GET', path: '/acceptance-certificates/{cert_id}/docx', source: '1C' },
  'certificates.pdf': { method: 'GET', path: '/acceptance-certificates/{cert_id}/pdf', source: '1C' },
  // Branch offices [OAS list and PATCH; create and bank-account links 1C, paths inferred]
  'branches.list': { method: 'GET', path: '/branch-office', source: 'OAS' },
  'branches.create': { method: 'POST', path: '/branch-office', source: '1C' },
  'branches.update': { method: 'PATCH', path: '/branch-office/{branch_office_id}', source: 'OAS' },
  'branches.bankAccounts': { method: 'GET', path: '/branch-office/{branch_office_id}/bank-accounts', source: '1C' },
  // The company's bank accounts and balances [OAS]
  'bankAccounts.list': { method: 'GET', path: '/banks_accounts', source: 'OAS' },
  'bankAccounts.get': { method: 'GET', path: '/banks_accounts/{bank_account_id}', source: 'OAS' },
  'bankAccounts.syncBalances': { method: 'POST', path: '/banks_accounts/sync_balances', source: 'OAS' },
  'bankAccounts.syncStatus': { method: 'GET', path: '/banks_accounts/sync_balances_status/{sync_balances_status_id}', source: 'OAS' },
  'balances.list': { method: 'GET', path: '/balances', source: 'OAS' },
  // Nomenclature [1C], paths inferred; ids are UUIDs
  'nomenclature.list': { method: 'GET', path: '/nomenclatures', source: '1C' },
  'nomenclature.create': { method: 'POST', path: '/nomenclatures', source: '1C' },
  'nomenclature.get': { method: 'GET', path: '/nomenclatures/{nomenclature_id}', source: '1C' },
  'nomenclature.update': { method: 'PUT', path: '/nomenclatures/{nomenclature_id}', source: '1C' },
  'nomenclature.delete': { method: 'DELETE', path: '/nomenclatures/{nomenclature_id}', source: '1C' },
  // Passport checks and recognition [1C], paths inferred; ids are UUIDs
  'passportChecks.create': { method: 'POST', path: '/passport-checks', source: '1C' },
  'passportChecks.get': { method: 'GET', path: '/passport-checks/{request_id}', source: '1C' },
  'recognition.create': { method: 'POST', path: '/recognition', source: '1C' },
  'recognition.get': { method: 'GET', path: '/recognition/{id}', source: '1C' },
  // The nominal account [1C], paths inferred
  'nominal.payments': { method: 'GET', path: '/nominal-account/payments', source: '1C' },
  'nominal.incomes': { method: 'GET', path: '/nominal-account/incomes', source: '1C' },
  // The cabinet and the 1C releases [1C], paths inferred
  'cabinet.settings': { method: 'GET', path: '/settings', source: '1C' },
  'cabinet.releases': { method: 'GET', path: '/releases', source: '1C' },
  // Lookups [OAS]
  'groups.list': { method: 'GET', path: '/groups', source: 'OAS' },
  'agents.list': { method: 'GET', path: '/agents', source: 'OAS' },
  'dictionaries.get': { method: 'GET', path: '/dictionaries', source: 'OAS' },
  'actTemplates.list': { method: 'GET', path: '/acts/templates', source: 'OAS' },
} as const satisfies Record<string, { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; source: 'OAS' | '1C' }>;

/** Which operation a call is, for metrics, logs, errors and the emulator's call log. */
export type JumpOperation = keyof typeof JUMP_OPERATIONS;

/** An operation's method and path, its `{placeholders}` filled in order with URL-encoded values. */
export function operationPath(
  operation: JumpOperation,
  ...values: Array<string | number>
): { method: (typeof JUMP_OPERATIONS)[JumpOperation]['method']; path: string } {
  const { method, path } = JUMP_OPERATIONS[operation];
  let index = 0;
  const filled = path.replace(/\{[a-z_]+\}/g, () => {
    const value = values[index++];
    if (value === undefined) throw new TypeError(`${operation}: a path value is missing`);
    return encodeURIComponent(String(value));
  });
  if (index !== values.length) throw new TypeError(`${operation}: ${values.length} path values for ${index} placeholders`);
  return { method, path: filled };
}
