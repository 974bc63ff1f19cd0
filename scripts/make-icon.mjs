// Draws the extension icon (images/icon.png, 128x128 RGBA) without any image library:
// a Kubernetes-blue rounded square with three stacked volume "disks" (ordinals 0, 1, 2 with their PVCs).
// Usage: node scripts/make-icon.mjs [out.png]
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { deflateSync } from 'node:zlib';

const out = process.argv[2] ?? 'images/icon.png';
const N = 128;
const SS = 4; // supersampling per axis

const BLUE = [50, 108, 229];
const WHITE = [255, 255, 255];
const TEAL = [0, 190, 170];

function roundedRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function ellipse(x, y, cx, cy, rx, ry) {
  return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
}
/** Colour at a sub-pixel, or null for transparent. */
function shade(x, y) {
  if (!roundedRect(x, y, 4, 4, 124, 124, 22)) return null;
  // Three disks (cylinders seen from slightly above), top to bottom.
  const cx = 64, rx = 34, ry = 9, h = 18;
  for (const [i, top] of [[0, 22], [1, 50], [2, 78]]) {
    const bottom = top + h;
    const body = x >= cx - rx && x <= cx + rx && y >= top && y <= bottom;
    const lowerCap = ellipse(x, y, cx, bottom, rx, ry);
    const upperCap = ellipse(x, y, cx, top, rx, ry);
    if (upperCap) {
      // the inner top face, tinted, with a small ordinal dot
      if (ellipse(x, y, cx + 20, top, 5, 2.5)) return i === 2 ? TEAL : BLUE;
      return [225, 235, 255];
    }
    if (body || lowerCap) return WHITE;
  }
  return BLUE;
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let py = 0; py < N; py++) {
  raw[py * (N * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < N; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = shade(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (c) { r += c[0]; g += c[1]; b += c[2]; a++; }
      }
    }
    const o = py * (N * 4 + 1) + 1 + px * 4;
    raw[o] = a ? Math.round(r / a) : 0;
    raw[o + 1] = a ? Math.round(g / a) : 0;
    raw[o + 2] = a ? Math.round(b / a) : 0;
    raw[o + 3] = Math.round((255 * a) / (SS * SS));
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`${out}: ${png.length} bytes`);
