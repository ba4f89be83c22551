import type { FunctionSpec } from "../model/types.js";
import { PRICES } from "./pricing.js";

/*
 * Lambda Managed Instances pricing (docs/pricing.md#lambda-managed-instances): the EC2 instances at
 * their price less any Savings Plan or reservation discount, plus a management fee of 15 % of the
 * instances' on-demand price, plus requests at the usual rate (billed with the others). No
 * duration (GB-s) charge.
 */

export interface ManagedInstancesCost {
  ec2Usd: number;
  feeUsd: number;
}

/** What `instanceHours` of the function's instances cost; zero for an on-demand function. */
export function managedInstancesCost(spec: FunctionSpec, instanceHours: number): ManagedInstancesCost {
  const mi = spec.managedInstances;
  if (mi === undefined || instanceHours === 0) return { ec2Usd: 0, feeUsd: 0 };
  const onDemandUsd = instanceHours * mi.hourlyUsd;
  return { ec2Usd: onDemandUsd * (1 - mi.savingsPlanDiscount), feeUsd: onDemandUsd * PRICES.managedInstancesFeeShare };
}
