import type { FocusDocumentMethod } from '../kontur-focus/index.ts';

/** The PDFs the graph links to (the DocumentKind enum of schema/documents.graphql). */
export type DocumentKind = 'EXCERPT' | 'FINANCIAL_ANALYSIS' | 'EXPRESS_REPORT';

/** Which PDF of which company (an `Excerpt`, a `Document`). Nothing is downloaded until the link is followed. */
export interface DocumentRef {
  kind: DocumentKind;
  inn: string;
}

/** What an `Excerpt` resolver receives: the registry extract of a company. */
export type ExcerptRef = DocumentRef & { kind: 'EXCERPT' };

/** What a `Document` resolver receives: one of the PDF reports. */
export type ReportRef = DocumentRef & { kind: Exclude<DocumentKind, 'EXCERPT'> };

export interface DocumentSpec {
  /** The Kontur.Focus method that serves the PDF (briefReport with pdf=true). */
  method: FocusDocumentMethod;
  /** File name stem: `<stem>-<inn>.pdf`. */
  fileStem: string;
}

export const DOCUMENT_SPECS: Readonly<Record<DocumentKind, DocumentSpec>> = {
  EXCERPT: { method: 'excerpt', fileStem: 'excerpt' },
  FINANCIAL_ANALYSIS: { method: 'finan', fileStem: 'financial-analysis' },
  EXPRESS_REPORT: { method: 'briefReport', fileStem: 'express-report' },
};

export function documentFileName(kind: DocumentKind, inn: string): string {
  return `${DOCUMENT_SPECS[kind].fileStem}-${inn}.pdf`;
}
