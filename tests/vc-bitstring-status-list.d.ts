/** @digitalbazaar/vc-bitstring-status-list ships no types: the decoding a wallet does, which the tests use. */
declare module '@digitalbazaar/vc-bitstring-status-list' {
  export function decodeList(options: { encodedList: string }): Promise<{ length: number; getStatus(index: number): boolean }>;
}
