/** @digitalbazaar/bitstring ships no types: the part the status list uses (W3C Bitstring Status List). */
declare module '@digitalbazaar/bitstring' {
  export class Bitstring {
    constructor(options: { length: number } | { buffer: Uint8Array });
    readonly length: number;
    set(position: number, on: boolean): void;
    get(position: number): boolean;
    /** GZIP, then base64url without padding (the status list's `encodedList` is "u" + this) */
    encodeBits(): Promise<string>;
    static decodeBits(options: { encoded: string }): Promise<Uint8Array>;
  }
}
