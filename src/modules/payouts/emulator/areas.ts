import type { Route } from './http.ts';

/**
 * The routes of the [1C]-documented areas beyond contractors and payouts (certificates, cooperations, branches,
 * nomenclature, identity, the nominal account): each area's file exports its routes, listed here once.
 */
export const AREA_ROUTES: Route[] = [];
