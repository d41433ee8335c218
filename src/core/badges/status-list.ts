/**
 * Revocation status lists in the W3C Bitstring Status List format: a bitstring of 131,072 bits
 * (16 KB), GZIP-compressed, base64url-encoded with the multibase prefix `u`, published as a
 * `BitstringStatusListCredential`. Bit 0 is the left-most (most significant) bit of the first byte.
 * Uses CompressionStream (Node 18+ and Workers).
 */
import { base64url } from "jose";
import { VC_V2_CONTEXT, isoSeconds, statusListUrl, type IssuerConfig, type JsonObject } from "./credential.js";

/** Bits per list (the specification's minimum, for herd privacy). */
export const STATUS_LIST_BITS = 131_072;
/** Decompressed lists larger than this are refused (a guard against compression bombs). */
const MAX_LIST_BYTES = 2 * 1024 * 1024;

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array> {
  const writer = transform.writable.getWriter();
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = transform.readable.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new Error("status list is too large");
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export function setBit(bits: Uint8Array, index: number): void {
  bits[index >> 3] = (bits[index >> 3] ?? 0) | (0x80 >> (index & 7));
}

export function getBit(bits: Uint8Array, index: number): boolean {
  return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
}

/** Encodes set indexes as an `encodedList` (multibase base64url of the GZIP-compressed bitstring). */
export async function encodeStatusList(setIndexes: Iterable<number>, size = STATUS_LIST_BITS): Promise<string> {
  const bits = new Uint8Array(Math.ceil(size / 8));
  for (const i of setIndexes) if (i >= 0 && i < size) setBit(bits, i);
  return "u" + base64url.encode(await pipe(bits, new CompressionStream("gzip")));
}

/** Decodes an `encodedList`; throws with a message on a malformed one. */
export async function decodeStatusList(encoded: string): Promise<Uint8Array> {
  if (!encoded.startsWith("u")) throw new Error("encodedList is not multibase base64url (it must start with 'u')");
  let zipped: Uint8Array;
  try {
    zipped = base64url.decode(encoded.slice(1));
  } catch {
    throw new Error("encodedList is not valid base64url");
  }
  try {
    return await pipe(zipped, new DecompressionStream("gzip"), MAX_LIST_BYTES);
  } catch (e) {
    throw new Error(`encodedList does not decompress: ${(e as Error).message}`);
  }
}

/** The published status list credential (unsigned JSON form; the route also serves it as a VC-JWT). */
export async function buildStatusListCredential(issuer: IssuerConfig, list: number, revoked: Iterable<number>, now: Date): Promise<JsonObject> {
  const url = statusListUrl(issuer, list);
  return {
    "@context": [VC_V2_CONTEXT],
    id: url,
    type: ["VerifiableCredential", "BitstringStatusListCredential"],
    issuer: issuer.id,
    validFrom: isoSeconds(now),
    credentialSubject: {
      id: `${url}#list`,
      type: "BitstringStatusList",
      statusPurpose: "revocation",
      encodedList: await encodeStatusList(revoked),
    },
  };
}
