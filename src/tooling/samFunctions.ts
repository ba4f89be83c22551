import { describeValue } from "../common/inputError.js";
import { readCapacityProviderConfig } from "./samCapacityProvider.js";
import { isObject, showIntrinsic, Unresolved, type JsonObject } from "./cloudFormation.js";
import { formatSeconds } from "./formatSeconds.js";
import { PLACEHOLDER_DURATION, type AsyncConfig, type ConversionDraft, type FunctionDraft } from "./samDraft.js";
import { readFunctionFeatures } from "./samFeatures.js";
import { functionRuntime } from "./samRuntimes.js";
import type { TemplateReader } from "./samTemplateReader.js";

/*
 * A template's functions as scenario functions: the settings the simulator models, read from each
 * function's properties over SAM's Globals. Every property is either read, known to change nothing
 * the simulator models, or reported as not read, so nothing is dropped silently.
 */

/** Lambda's own defaults, used when a template leaves a property out (they equal the scenario's). */
const LAMBDA_DEFAULT_MEMORY_MB = 128;
const LAMBDA_DEFAULT_TIMEOUT_S = 3;

const FUNCTION_TYPES = new Set(["AWS::Serverless::Function", "AWS::Lambda::Function"]);

/** Function properties that change nothing the simulator models (code, permissions, logging, networking). */
const IGNORED_FUNCTION_PROPERTIES = new Set([
  "AssumeRolePolicyDocument",
  "AutoPublishAliasAllProperties",
  "AutoPublishCodeSha256",
  "Code",
  "CodeSigningConfigArn",
  "CodeUri",
  "DeploymentPreference",
  "Description",
  "Environment",
  "FileSystemConfigs",
  "Handler",
  "ImageConfig",
  "ImageUri",
  "InlineCode",
  "KmsKeyArn",
  "Layers",
  "LoggingConfig",
  "PermissionsBoundary",
  "Policies",
  "PropagateTags",
  "Role",
  "RolePath",
  "RuntimeManagementConfig",
  "RecursiveLoop",
  "SourceKMSKeyArn",
  "Tags",
  "Tracing",
  "TracingConfig",
  "VersionDescription",
  "VpcConfig",
]);

/** Function properties that are read. */
const READ_FUNCTION_PROPERTIES = new Set([
  "Architectures",
  "AutoPublishAlias",
  "CapacityProviderConfig",
  "DeadLetterConfig",
  "DeadLetterQueue",
  "EphemeralStorage",
  "EventInvokeConfig",
  "Events",
  "FunctionName",
  "FunctionUrlConfig",
  "MemorySize",
  "PackageType",
  "ProvisionedConcurrencyConfig",
  "ReservedConcurrentExecutions",
  "Runtime",
  "SnapStart",
  "TenancyConfig",
  "Timeout",
]);

/** Adds every function of the template, in template order. */
export function readFunctions(draft: ConversionDraft): void {
  const globals = isObject(draft.template.Globals) ? draft.template.Globals.Function : undefined;
  const functionGlobals = isObject(globals) ? globals : {};
  for (const [id, resource] of Object.entries(draft.resources)) {
    if (isObject(resource) && FUNCTION_TYPES.has(String(resource.Type))) addFunction(draft, id, resource, functionGlobals);
  }
}

function addFunction(draft: ConversionDraft, id: string, resource: JsonObject, globals: JsonObject): void {
  const path = `Resources.${id}`;
  const type = String(resource.Type);
  if (typeof resource.Condition === "string") {
    const holds = draft.evaluator.condition(resource.Condition);
    if (holds === false) {
      draft.warn(path, `not created: its condition ${resource.Condition} is false with the parameters' defaults`);
      return;
    }
    if (holds === undefined)
      draft.warn(path, `created only when condition ${resource.Condition} holds, which depends on the deployment; converted`);
  }
  const own = isObject(resource.Properties) ? resource.Properties : {};
  const serverless = type === "AWS::Serverless::Function";
  const props = serverless ? mergeGlobals(globals, own) : own;
  const at = `${path}.Properties`;
  const fields: JsonObject = {};
  const notes: Record<string, string> = {};

  fields.name = uniqueFunctionName(draft, id, props, at);
  const image = draft.readString(props, "PackageType", at, "taken as Zip") === "Image";
  const runtime = functionRuntime(draft, props, at, image, isObject(resource.Metadata) ? resource.Metadata : {});
  fields.runtime = runtime.value;
  if (runtime.note) notes.runtime = runtime.note;
  if (image) fields.package = "image";
  const architectures = draft.read(props, "Architectures", at, "x86_64 assumed");
  if (architectures !== undefined) {
    const first = Array.isArray(architectures) && architectures.length === 1 ? draft.evaluator.evaluate(architectures[0]) : undefined;
    if (first === "arm64" || first === "x86_64") fields.architecture = first;
    else draft.warn(`${at}.Architectures`, `expected [x86_64] or [arm64], got ${describeValue(architectures)}; x86_64 assumed`);
  }
  const memory = draft.readInteger(props, "MemorySize", at, 128, 10240, `Lambda's default ${LAMBDA_DEFAULT_MEMORY_MB} MB assumed`);
  fields.memoryMb = memory ?? LAMBDA_DEFAULT_MEMORY_MB;
  if (memory === undefined)
    notes.memoryMb = `Lambda's default: the template ${"MemorySize" in props ? "gives no usable" : "does not set"} MemorySize`;
  const storage = draft.readObject(props, "EphemeralStorage", at);
  const storageMb = draft.readInteger(storage, "Size", `${at}.EphemeralStorage`, 512, 10240, "512 MB assumed");
  if (storageMb !== undefined) fields.ephemeralStorageMb = storageMb;
  const timeout = draft.readInteger(props, "Timeout", at, 1, 900, `Lambda's default ${LAMBDA_DEFAULT_TIMEOUT_S} s assumed`);
  fields.timeout = formatSeconds(timeout ?? LAMBDA_DEFAULT_TIMEOUT_S);
  if (timeout === undefined)
    notes.timeout = `Lambda's default: the template ${"Timeout" in props ? "gives no usable" : "does not set"} Timeout`;
  fields.duration = PLACEHOLDER_DURATION;
  notes.duration = "placeholder: the handler time, e.g. { lognormal: { median, p99 } } from CloudWatch's Duration metric";
  const reserved = draft.readInteger(props, "ReservedConcurrentExecutions", at, 0, Infinity, "no reservation assumed");
  if (reserved !== undefined) fields.reservedConcurrency = reserved;

  const provisioned: FunctionDraft["provisioned"] = [];
  if (serverless && props.ProvisionedConcurrencyConfig !== undefined) {
    const config = draft.readObject(props, "ProvisionedConcurrencyConfig", at);
    const value = draft.readInteger(
      config,
      "ProvisionedConcurrentExecutions",
      `${at}.ProvisionedConcurrencyConfig`,
      0,
      Infinity,
      "none assumed",
    );
    const alias = draft.readString(props, "AutoPublishAlias", at, "no alias");
    if (alias === undefined) draft.warn(`${at}.ProvisionedConcurrencyConfig`, "SAM applies it only with AutoPublishAlias; read anyway");
    if (value !== undefined) provisioned.push({ value, where: alias ? `alias ${alias}` : "ProvisionedConcurrencyConfig" });
  }

  const asyncConfig: AsyncConfig = {};
  if (serverless) {
    readEventInvokeConfig(draft, draft.readObject(props, "EventInvokeConfig", at), `${at}.EventInvokeConfig`, asyncConfig);
    if (props.DeadLetterQueue !== undefined) asyncConfig.onFailure = "dlq";
  } else if (props.DeadLetterConfig !== undefined) {
    asyncConfig.onFailure = "dlq";
  }
  readCapacityProviderConfig(draft, props, at, fields);
  readFunctionFeatures(
    draft,
    props,
    at,
    fields,
    notes,
    provisioned.some((p) => p.value > 0),
    fields.compute === "managed-instances",
  );
  for (const key of Object.keys(props)) {
    if (!READ_FUNCTION_PROPERTIES.has(key) && !IGNORED_FUNCTION_PROPERTIES.has(key))
      draft.warn(`${at}.${key}`, "not read: the simulator has no counterpart");
  }

  draft.functionByLogicalId.set(id, draft.functions.length);
  draft.functions.push({
    logicalId: id,
    type,
    name: String(fields.name),
    fields,
    notes,
    timeoutSeconds: timeout ?? LAMBDA_DEFAULT_TIMEOUT_S,
    asyncConfig,
    provisioned,
    triggered: false,
    services: new Set(),
  });
}

/** The FunctionName when it is a plain valid name, else the logical id; unique either way. */
function uniqueFunctionName(draft: ConversionDraft, id: string, props: JsonObject, at: string): string {
  let name: string | undefined;
  if (props.FunctionName !== undefined) {
    const value = draft.evaluator.evaluate(props.FunctionName);
    if (typeof value === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(value)) name = value;
    else {
      const shown = value instanceof Unresolved ? showIntrinsic(props.FunctionName) : describeValue(value);
      draft.warn(`${at}.FunctionName`, `${shown} is not a plain function name; named after its logical id`);
    }
  }
  // Logical ids are alphanumeric; only their length can exceed a function name's.
  const base = (name ?? id).slice(0, 64);
  const taken = new Set(draft.functions.map((f) => f.name));
  let unique = base;
  for (let n = 2; taken.has(unique); n++) unique = `${base.slice(0, 64 - String(n).length - 1)}-${n}`;
  if (unique !== base) draft.warn(`Resources.${id}`, `another function is already named "${base}"; named "${unique}"`);
  return unique;
}

export function readEventInvokeConfig(reader: TemplateReader, config: JsonObject, at: string, into: AsyncConfig): void {
  const retries = reader.readInteger(config, "MaximumRetryAttempts", at, 0, 2, "Lambda's default 2 assumed");
  if (retries !== undefined) into.maximumRetryAttempts = retries;
  const age = reader.readInteger(config, "MaximumEventAgeInSeconds", at, 60, 21600, "Lambda's default 6h assumed");
  if (age !== undefined) into.maximumEventAge = formatSeconds(age);
  const destinations = reader.readObject(config, "DestinationConfig", at);
  if (destinations.OnFailure !== undefined) into.onFailure = "dlq";
}

/**
 * SAM's Globals.Function under a function's own properties: the function's values win, mappings
 * merge key by key. (SAM appends lists; the one list read here, Architectures, has a single item,
 * so a function that sets it replaces the global one.)
 */
function mergeGlobals(globals: JsonObject, own: JsonObject): JsonObject {
  const merged: JsonObject = { ...globals };
  for (const [key, value] of Object.entries(own)) {
    const global = merged[key];
    merged[key] = isObject(global) && isObject(value) && !isIntrinsic(global) && !isIntrinsic(value) ? mergeGlobals(global, value) : value;
  }
  return merged;
}

function isIntrinsic(value: JsonObject): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || keys[0].startsWith("Fn::"));
}
