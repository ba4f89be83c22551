/*
 * from-sam reads a function's capacity provider (Lambda Managed Instances): SAM's
 * CapacityProviderConfig and CloudFormation's CapacityProviderConfig.
 * LambdaManagedInstancesCapacityProviderConfig, with the instance type and vCPU ceiling of the
 * capacity provider resource the ARN names. Property names from the SAM and CloudFormation
 * references (docs/lambda-behaviour.md#lambda-managed-instances).
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { resolveScenario } from "../../src/scenario/compile.js";
import { fromSam } from "../../src/tooling/fromSam.js";

function convert(template: Record<string, unknown>) {
  const result = fromSam(JSON.stringify(template), "inline.json");
  const data = parse(result.yaml) as { functions: Record<string, unknown>[] };
  resolveScenario(data);
  return { warnings: result.warnings, fn: data.functions[0] };
}

describe("from-sam: Lambda Managed Instances", () => {
  it("SAM: CapacityProviderConfig and an AWS::Serverless::CapacityProvider", () => {
    const { fn, warnings } = convert({
      Transform: "AWS::Serverless-2016-10-31",
      Resources: {
        Provider: {
          Type: "AWS::Serverless::CapacityProvider",
          Properties: { InstanceRequirements: { AllowedInstanceTypes: ["c7g.2xlarge"] }, ScalingConfig: { MaxVCpuCount: 40 } },
        },
        Api: {
          Type: "AWS::Serverless::Function",
          Properties: {
            Runtime: "python3.12",
            Handler: "app.handler",
            Architectures: ["arm64"],
            MemorySize: 8192,
            CapacityProviderConfig: {
              Arn: { "Fn::GetAtt": ["Provider", "Arn"] },
              ExecutionEnvironmentMemoryGiBPerVCpu: 4,
              PerExecutionEnvironmentMaxConcurrency: 24,
            },
          },
        },
      },
    });
    expect(warnings).toEqual([]);
    expect(fn.compute).toBe("managed-instances");
    // 8 GB at 4 GiB per vCPU: 2-vCPU environments, 20 of them within 40 vCPUs.
    expect(fn.managedInstances).toEqual({
      memoryGiBPerVcpu: 4,
      maxConcurrencyPerEnvironment: 24,
      instanceType: "c7g.2xlarge",
      maxEnvironments: 20,
    });
  });

  it("CloudFormation: LambdaManagedInstancesCapacityProviderConfig naming an AWS::Lambda::CapacityProvider", () => {
    const { fn } = convert({
      Resources: {
        Provider: {
          Type: "AWS::Lambda::CapacityProvider",
          Properties: {
            InstanceRequirements: { AllowedInstanceTypes: ["m7i.2xlarge"] },
            CapacityProviderScalingConfig: { MaxVCpuCount: 4 },
          },
        },
        Api: {
          Type: "AWS::Lambda::Function",
          Properties: {
            Runtime: "java21",
            Handler: "x.Handler",
            MemorySize: 4096,
            Code: { ZipFile: "x" },
            Role: "arn:aws:iam::123456789012:role/r",
            CapacityProviderConfig: {
              LambdaManagedInstancesCapacityProviderConfig: { CapacityProviderArn: { Ref: "Provider" } },
            },
          },
        },
      },
    });
    expect(fn.compute).toBe("managed-instances");
    // 4 GB at the default 2 GiB per vCPU: 2 vCPUs, two environments within 4 vCPUs (below the 3 kept by default).
    expect(fn.managedInstances).toEqual({ instanceType: "m7i.2xlarge", maxEnvironments: 2, minEnvironments: 2 });
  });

  it("a capacity provider outside the template: a warning and the default instance type", () => {
    const { fn, warnings } = convert({
      Transform: "AWS::Serverless-2016-10-31",
      Resources: {
        Api: {
          Type: "AWS::Serverless::Function",
          Properties: {
            Runtime: "nodejs22.x",
            Handler: "index.handler",
            MemorySize: 2048,
            CapacityProviderConfig: { Arn: "arn:aws:lambda:us-east-1:123456789012:capacity-provider:shared" },
          },
        },
      },
    });
    expect(fn.managedInstances).toEqual({});
    expect(warnings).toEqual([
      "Resources.Api.Properties.CapacityProviderConfig.Arn: names no capacity provider in this template; its default instance type assumed",
    ]);
  });
  it("SnapStart and TenancyConfig on a function with a capacity provider: left out with a warning each", () => {
    const { fn, warnings } = convert({
      Transform: "AWS::Serverless-2016-10-31",
      Resources: {
        Api: {
          Type: "AWS::Serverless::Function",
          Properties: {
            Runtime: "java21",
            Handler: "x.Handler",
            MemorySize: 2048,
            CapacityProviderConfig: { Arn: "arn:aws:lambda:us-east-1:123456789012:capacity-provider:shared" },
            SnapStart: { ApplyOn: "PublishedVersions" },
            TenancyConfig: { TenantIsolationMode: "PER_TENANT" },
          },
        },
      },
    });
    expect(fn.compute).toBe("managed-instances");
    expect(fn.snapStart).toBeUndefined();
    expect(fn.tenantIsolation).toBeUndefined();
    expect(warnings).toEqual([
      "Resources.Api.Properties.CapacityProviderConfig.Arn: names no capacity provider in this template; its default instance type assumed",
      "Resources.Api.Properties.SnapStart: not converted: the function runs on Lambda Managed Instances, which have no snapshots to restore",
      "Resources.Api.Properties.TenancyConfig: not converted: tenant isolation cannot be combined with provisioned concurrency, SnapStart or Lambda Managed Instances",
    ]);
  });
});
