/*
 * EC2 instance types a Lambda Managed Instances capacity provider can run on, with their vCPUs,
 * memory and us-east-1 on-demand Linux price per hour (docs/pricing.md#lambda-managed-instances).
 * Within a family the price is linear in size, so each family is given by its xlarge price.
 */

export interface InstanceType {
  vcpus: number;
  memoryGiB: number;
  hourlyUsd: number;
}

/** Family → [GiB of memory per vCPU, xlarge price (USD/h)]. */
const FAMILIES: Record<string, readonly [number, number]> = {
  c7g: [2, 0.145],
  m7g: [4, 0.1632],
  r7g: [8, 0.214],
  m7i: [4, 0.2016],
  m6i: [4, 0.192],
};

/** Size → vCPUs. */
const SIZES: Record<string, number> = { large: 2, xlarge: 4, "2xlarge": 8, "4xlarge": 16 };

/** The built-in instance types by name (m7g.xlarge, ...). */
export const INSTANCE_TYPES: Readonly<Record<string, InstanceType>> = Object.freeze(
  Object.fromEntries(
    Object.entries(FAMILIES).flatMap(([family, [gibPerVcpu, xlargeUsd]]) =>
      Object.entries(SIZES).map(([size, vcpus]) => [
        `${family}.${size}`,
        // Rounded to 1e-5 USD, the precision of AWS's price list, so halving 0.145 stays 0.0725.
        { vcpus, memoryGiB: vcpus * gibPerVcpu, hourlyUsd: Math.round(xlargeUsd * (vcpus / 4) * 1e5) / 1e5 },
      ]),
    ),
  ),
);

export const INSTANCE_TYPE_NAMES: readonly string[] = Object.freeze(Object.keys(INSTANCE_TYPES));

/** Architecture of an instance family: Graviton (…g) is arm64. */
export const instanceArchitecture = (name: string): "arm64" | "x86_64" => (/^[a-z]+\d+g\./.test(name) ? "arm64" : "x86_64");
