/** "2021-03-18T12:12:08+03:00": Jump.Finance writes timestamps in Moscow time with the offset, to the second. */
export function moscowIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + 3 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+03:00');
}
