import type { AnyModule } from '../modules/contract.ts';
import { focusModule } from '../modules/kontur-focus/module.ts';
import { tbankModule } from '../modules/tbank/module.ts';
import { companyModule } from '../modules/company/module.ts';
import { collectionsModule } from '../modules/collections/module.ts';
import { documentsModule } from '../modules/documents/module.ts';
import { monitoringModule } from '../modules/monitoring/module.ts';
import { riskModule } from '../modules/risk/module.ts';
import { bitrix24Module } from '../modules/bitrix24/module.ts';
import { payoutsModule } from '../modules/payouts/module.ts';
import { autofillModule } from '../modules/autofill/module.ts';

/**
 * THE list of modules. Configuration, sandbox emulators, services, each request's context, the schema, the cost
 * estimate, routes and shutdown are all built from it, in this order (a module comes after those it needs).
 */
export const MODULES: readonly AnyModule[] = [
  focusModule,
  tbankModule,
  companyModule,
  collectionsModule,
  documentsModule,
  monitoringModule,
  riskModule,
  autofillModule,
  payoutsModule,
  bitrix24Module,
];
