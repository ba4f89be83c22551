/*
 * from-sam for SnapStart (SnapStart.ApplyOn), tenant isolation (TenancyConfig.TenantIsolationMode)
 * and response streaming (a function URL's InvokeMode: RESPONSE_STREAM), property names as in the
 * CloudFormation and SAM references; the combinations AWS refuses are reported, not converted, so
 * the scenario written resolves.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { resolveScenario } from "../../src/scenario/compile.js";
import { fromSam } from "../../src/tooling/fromSam.js";

function convert(resources: Record<string, unknown>) {
  const result = fromSam(JSON.stringify({ Transform: "AWS::Serverless-2016-10-31", Resources: resources }), "inline.yaml");
  const data = parse(result.yaml) as { functions: Record<string, unknown>[] };
  resolveScenario(data);
  return { data, warnings: result.warnings };
}

const fn = (properties: Record<string, unknown>) => ({
  Type: "AWS::Serverless::Function",
  Properties: { Handler: "app.handler", CodeUri: "src/", Runtime: "python3.12", ...properties },
});

describe("from-sam: SnapStart, tenant isolation, response streaming", () => {
  it("converts SnapStart ApplyOn: PublishedVersions on a supported runtime", () => {
    const { data, warnings } = convert({ Api: fn({ SnapStart: { ApplyOn: "PublishedVersions" } }) });
    expect(data.functions[0].snapStart).toBe(true);
    expect(warnings).toEqual([]);
  });

  it("reports SnapStart that AWS would refuse and leaves it out", () => {
    const { data, warnings } = convert({
      Api: fn({ Runtime: "nodejs22.x", SnapStart: { ApplyOn: "PublishedVersions" } }),
      Pc: fn({
        SnapStart: { ApplyOn: "PublishedVersions" },
        AutoPublishAlias: "live",
        ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
      }),
    });
    expect(data.functions.map((f) => f.snapStart)).toEqual([undefined, undefined]);
    expect(warnings).toEqual([
      "Resources.Api.Properties.SnapStart: not converted: runtime nodejs22.x has no SnapStart",
      "Resources.Pc.Properties.SnapStart: not converted: it cannot be combined with provisioned concurrency",
    ]);
  });

  it("converts TenancyConfig TenantIsolationMode: PER_TENANT with a placeholder number of tenants", () => {
    const { data } = convert({ Saas: fn({ TenancyConfig: { TenantIsolationMode: "PER_TENANT" } }) });
    expect(data.functions[0].tenantIsolation).toEqual({ tenants: 100, popularity: "uniform" });
  });

  it("converts a function URL with InvokeMode: RESPONSE_STREAM, in FunctionUrlConfig or as an AWS::Lambda::Url", () => {
    const { data } = convert({
      Ssr: fn({ FunctionUrlConfig: { AuthType: "NONE", InvokeMode: "RESPONSE_STREAM" } }),
      Export: fn({}),
      ExportUrl: {
        Type: "AWS::Lambda::Url",
        Properties: { TargetFunctionArn: { "Fn::GetAtt": ["Export", "Arn"] }, AuthType: "NONE", InvokeMode: "RESPONSE_STREAM" },
      },
      Buffered: fn({ FunctionUrlConfig: { AuthType: "NONE", InvokeMode: "BUFFERED" } }),
    });
    expect(data.functions.map((f) => f.responseStreaming)).toEqual([{ sizeMb: 6 }, { sizeMb: 6 }, undefined]);
  });
});
