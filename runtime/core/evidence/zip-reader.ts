/**
 * Reads the entries of a zip from its central directory (stored and deflated entries, no zip64,
 * no encryption): enough to verify the packages evidence-writer.ts produces without trusting
 * anything but the bytes. Anything else is refused with a TypeError rather than misread.
 */
import { inflateRawSync } from "node:zlib";

export interface ZipEntry {
  readonly name: string;
  readonly content: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function readZip(buf: Buffer): ZipEntry[] {
  let eocd = -1;
  // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new TypeError("not a zip file: no end-of-central-directory record");
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || p === 0xffffffff) throw new TypeError("zip64 archives are not supported");
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL)
      throw new TypeError(`corrupt zip: central directory entry ${n} is missing`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString("utf8");
    if (flags & 0x1) throw new TypeError(`zip entry ${name} is encrypted`);
    if (buf.readUInt32LE(local) !== LOCAL) throw new TypeError(`corrupt zip: local header of ${name} is missing`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + compressed);
    let content: Buffer;
    if (method === 0) content = Buffer.from(raw);
    else if (method === 8) content = inflateRawSync(raw);
    else throw new TypeError(`zip entry ${name} uses unsupported compression method ${method}`);
    if (content.length !== size)
      throw new TypeError(`corrupt zip: ${name} is ${content.length} bytes, the directory says ${size}`);
    entries.push({ name, content });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}
