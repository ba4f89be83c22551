import { INSTANCE_TYPES } from "../model/managedInstanceTypes.js";
import { isObject, type JsonObject } from "./cloudFormation.js";
import type { TemplateReader } from "./samTemplateReader.js";

/*
 * A function's Lambda Managed Instances settings in a template: SAM's CapacityProviderConfig
 * { Arn, ExecutionEnvironmentMemoryGiBPerVCpu, PerExecutionEnvironmentMaxConcurrency }, or
 * CloudFormation's CapacityProviderConfig.LambdaManagedInstancesCapacityProviderConfig
 * { CapacityProviderArn, ... }; the instance type and vCPU ceiling come from the capacity provider
 * the ARN names when it is in the template (InstanceRequirements.AllowedInstanceTypes,
 * ScalingConfig / CapacityProviderScalingConfig MaxVCpuCount).
 */

const CAPACITY_PROVIDER_TYPES = new Set(["AWS::Serverless::CapacityProvider", "AWS::Lambda::CapacityProvider"]);

/** Sets fields.compute and fields.managedInstances when the function has a capacity provider. */
export function readCapacityProviderConfig(reader: TemplateReader, props: JsonObject, at: string, fields: JsonObject): void {
  if (props.CapacityProviderConfig === undefined) return;
  const outer = reader.readObject(props, "CapacityProviderConfig", at);
  const nested = outer.LambdaManagedInstancesCapacityProviderConfig !== undefined;
  const configAt = nested ? `${at}.CapacityProviderConfig.LambdaManagedInstancesCapacityProviderConfig` : `${at}.CapacityProviderConfig`;
  const config = nested ? reader.readObject(outer, "LambdaManagedInstancesCapacityProviderConfig", `${at}.CapacityProviderConfig`) : outer;
  const managed: JsonObject = {};
  const ratio = reader.read(config, "ExecutionEnvironmentMemoryGiBPerVCpu", configAt, "2 GiB per vCPU assumed");
  if (typeof ratio === "number" && ratio >= 2 && ratio <= 8) managed.memoryGiBPerVcpu = ratio;
  else if (ratio !== undefined) reader.warn(`${configAt}.ExecutionEnvironmentMemoryGiBPerVCpu`, "expected a number from 2 to 8; 2 assumed");
  const concurrency = reader.readInteger(
    config,
    "PerExecutionEnvironmentMaxConcurrency",
    configAt,
    1,
    1600,
    "the runtime's default assumed",
  );
  if (concurrency !== undefined) managed.maxConcurrencyPerEnvironment = concurrency;

  const arnKey = nested ? "CapacityProviderArn" : "Arn";
  const provider = providerResource(reader, config[arnKey]);
  if (provider === undefined) {
    reader.warn(`${configAt}.${arnKey}`, "names no capacity provider in this template; its default instance type assumed");
  } else {
    readProvider(reader, provider, managed, fields);
  }
  fields.compute = "managed-instances";
  fields.managedInstances = managed;
}

/** The capacity provider resource an ARN refers to (!GetAtt X.Arn or !Ref X), with its path. */
function providerResource(reader: TemplateReader, arn: unknown): { id: string; props: JsonObject } | undefined {
  let id: unknown;
  if (isObject(arn) && Array.isArray(arn["Fn::GetAtt"])) id = arn["Fn::GetAtt"][0];
  else if (isObject(arn) && typeof arn["Fn::GetAtt"] === "string") id = arn["Fn::GetAtt"].split(".")[0];
  else if (isObject(arn)) id = arn.Ref;
  if (typeof id !== "string" || !Object.hasOwn(reader.resources, id)) return undefined;
  const resource = reader.resources[id];
  if (!isObject(resource) || !CAPACITY_PROVIDER_TYPES.has(String(resource.Type))) return undefined;
  return { id, props: isObject(resource.Properties) ? resource.Properties : {} };
}

function readProvider(reader: TemplateReader, provider: { id: string; props: JsonObject }, managed: JsonObject, fields: JsonObject): void {
  const at = `Resources.${provider.id}.Properties`;
  const requirements = reader.readObject(provider.props, "InstanceRequirements", at);
  const allowed = reader.read(requirements, "AllowedInstanceTypes", `${at}.InstanceRequirements`, "the default instance type assumed");
  if (Array.isArray(allowed)) {
    const known = allowed.find((name) => typeof name === "string" && Object.hasOwn(INSTANCE_TYPES, name));
    if (typeof known === "string") managed.instanceType = known;
    else
      reader.warn(
        `${at}.InstanceRequirements.AllowedInstanceTypes`,
        "none is a built-in instance type; give managedInstances.instanceType as { vcpus, memoryGiB, hourlyUsd }",
      );
  }
  const scalingKey = provider.props.ScalingConfig !== undefined ? "ScalingConfig" : "CapacityProviderScalingConfig";
  const scaling = reader.readObject(provider.props, scalingKey, at);
  const maxVcpus = reader.readInteger(scaling, "MaxVCpuCount", `${at}.${scalingKey}`, 2, 15000, "no ceiling assumed");
  const ratio = typeof managed.memoryGiBPerVcpu === "number" ? managed.memoryGiBPerVcpu : 2;
  const vcpus = typeof fields.memoryMb === "number" ? fields.memoryMb / 1024 / ratio : Number.NaN;
  if (maxVcpus !== undefined && Number.isInteger(vcpus) && vcpus >= 1) {
    managed.maxEnvironments = Math.max(1, Math.floor(maxVcpus / vcpus));
    if (managed.maxEnvironments < 3) managed.minEnvironments = managed.maxEnvironments;
  }
}
