/**
 * Sine, cosine, tangent and arc functions computed the way Go's math package does on amd64 (the
 * Cephes algorithms by S. L. Moshier: reduction into octants with π/4 split in three parts, then
 * fixed polynomials), so sin/cos/tan/asin/acos/atan match Prometheus bit for bit. V8's fdlibm
 * versions differ in the last bit for some inputs (sin(10), tan(10), atan(10)).
 * Arguments of 2^29 and more fall back to Math.* (Go switches to Payne-Hanek reduction there).
 */

const PI4A = 0.7853981256484985;
const PI4B = 3.774894707930798e-8;
const PI4C = 2.6951514290790595e-15;
const FOUR_OVER_PI = 4 / Math.PI;
const REDUCE_THRESHOLD = 2 ** 29;

const SIN = [1.5896230157654656e-10, -2.5050747762857807e-8, 0.0000027557313621385722, -0.0001984126982958954, 0.008333333333322118, -0.1666666666666663] as const;
const COS = [-1.1358536521387682e-11, 2.087570084197473e-9, -2.755731417929674e-7, 0.000024801587288851704, -0.0013888888888873056, 0.041666666666666595] as const;
const TAN_P = [-13093.693918138379, 1153516.6483858742, -17956525.197648488] as const;
const TAN_Q = [13681.296347069296, -1320892.3444021097, 25008380.18233579, -53869575.592945464] as const;

/** Octant j (0-7, even) and the remainder z of a non-negative x below the threshold. */
function reduce(x: number): [octant: number, z: number] {
  let j = Math.trunc(x * FOUR_OVER_PI);
  let y = j;
  if (j % 2 === 1) {
    j++;
    y++;
  }
  return [j % 8, x - y * PI4A - y * PI4B - y * PI4C];
}

function sinPoly(z: number, zz: number): number {
  return z + z * zz * ((((((SIN[0] * zz) + SIN[1]) * zz + SIN[2]) * zz + SIN[3]) * zz + SIN[4]) * zz + SIN[5]);
}

function cosPoly(zz: number): number {
  return 1.0 - 0.5 * zz + zz * zz * ((((((COS[0] * zz) + COS[1]) * zz + COS[2]) * zz + COS[3]) * zz + COS[4]) * zz + COS[5]);
}

/** Go's math.Sin. */
export function goSin(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return NaN;
  const negative = x < 0;
  const ax = Math.abs(x);
  if (ax >= REDUCE_THRESHOLD) return Math.sin(x);
  const [octant, z] = reduce(ax);
  let j = octant;
  let sign = negative;
  if (j > 3) {
    sign = !sign;
    j -= 4;
  }
  const zz = z * z;
  const y = j === 1 || j === 2 ? cosPoly(zz) : sinPoly(z, zz);
  return sign ? -y : y;
}

/** Go's math.Cos. */
export function goCos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= REDUCE_THRESHOLD) return Math.cos(x);
  const [octant, z] = reduce(ax);
  let j = octant;
  let sign = false;
  if (j > 3) {
    j -= 4;
    sign = !sign;
  }
  if (j > 1) sign = !sign;
  const zz = z * z;
  const y = j === 1 || j === 2 ? sinPoly(z, zz) : cosPoly(zz);
  return sign ? -y : y;
}

/** Go's math.Tan. */
export function goTan(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= REDUCE_THRESHOLD) return Math.tan(x);
  const [j, z] = reduce(ax);
  const zz = z * z;
  let y = z;
  if (zz > 1e-14) {
    y = z + z * ((zz * ((TAN_P[0] * zz + TAN_P[1]) * zz + TAN_P[2])) / ((((zz + TAN_Q[0]) * zz + TAN_Q[1]) * zz + TAN_Q[2]) * zz + TAN_Q[3]));
  }
  if ((j & 2) === 2) y = -1 / y;
  return x < 0 ? -y : y;
}

/** Cephes atan series on [0, 0.66]. */
function xatan(x: number): number {
  const z = x * x;
  const r =
    (z * ((((-0.8750608600031904 * z + -16.157537187333652) * z + -75.00855792314705) * z + -122.88666844901361) * z + -64.85021904942025)) /
    (((((z + 24.858464901423062) * z + 165.02700983169885) * z + 432.88106049129027) * z + 485.3903996359137) * z + 194.5506571482614);
  return x * r + x;
}

const MOREBITS = 6.123233995736766e-17;
const TAN_3PI_8 = 2.414213562373095;

/** atan of a non-negative argument, reduced to [0, 0.66]. */
function satan(x: number): number {
  if (x <= 0.66) return xatan(x);
  if (x > TAN_3PI_8) return Math.PI / 2 - xatan(1 / x) + MOREBITS;
  return Math.PI / 4 + xatan((x - 1) / (x + 1)) + 0.5 * MOREBITS;
}

/** Go's math.Atan. */
export function goAtan(x: number): number {
  if (x === 0) return x;
  return x > 0 ? satan(x) : -satan(-x);
}

/** Go's math.Asin. */
export function goAsin(x: number): number {
  if (x === 0) return x;
  const ax = Math.abs(x);
  if (ax > 1) return NaN;
  const root = Math.sqrt(1 - ax * ax);
  const y = ax > 0.7 ? Math.PI / 2 - satan(root / ax) : satan(ax / root);
  return x < 0 ? -y : y;
}

/** Go's math.Acos. */
export function goAcos(x: number): number {
  return Math.PI / 2 - goAsin(x);
}
