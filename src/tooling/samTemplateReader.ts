import { describeValue } from "../common/inputError.js";
import { isObject, NO_VALUE, showIntrinsic, TemplateEvaluator, Unresolved, type Json, type JsonObject } from "./cloudFormation.js";

/*
 * Reading a template's values for `lambdasim from-sam`. A value the template does not fix (an
 * intrinsic that needs the deployment, a wrong kind) is a warning and a stated fallback, never an
 * error: a skeleton with its gaps named is more use than no skeleton.
 */
export class TemplateReader {
  readonly evaluator: TemplateEvaluator;
  readonly resources: JsonObject;
  readonly warnings: string[] = [];

  constructor(readonly template: JsonObject) {
    this.evaluator = new TemplateEvaluator(template);
    this.resources = template.Resources as JsonObject;
  }

  warn(path: string, message: string): void {
    this.warnings.push(`${path}: ${message}`);
  }

  /** A property's value with intrinsics evaluated; undefined (with a warning) when the template does not fix it. */
  read(props: JsonObject, key: string, path: string, otherwise: string): Json | undefined {
    const raw = props[key];
    const value = this.evaluator.evaluate(raw);
    if (value === NO_VALUE || value === undefined) return undefined;
    if (value instanceof Unresolved) {
      this.warn(`${path}.${key}`, `${showIntrinsic(raw as Json)} cannot be evaluated from the template (${value.reason}); ${otherwise}`);
      return undefined;
    }
    return value;
  }

  readObject(props: JsonObject, key: string, path: string): JsonObject {
    const value = this.read(props, key, path, "ignored");
    if (value === undefined) return {};
    if (isObject(value)) return value;
    // SQS accepts a RedrivePolicy written as a JSON string.
    if (typeof value === "string") {
      try {
        const parsed: unknown = JSON.parse(value);
        if (isObject(parsed)) return parsed;
      } catch {
        // reported below
      }
    }
    this.warn(`${path}.${key}`, `expected a mapping, got ${describeValue(value)}; ignored`);
    return {};
  }

  readInteger(props: JsonObject, key: string, path: string, min: number, max: number, otherwise: string): number | undefined {
    const value = this.read(props, key, path, otherwise);
    if (value === undefined) return undefined;
    const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof number !== "number" || !Number.isInteger(number) || number < min || number > max) {
      const range = max === Infinity ? `>= ${min}` : `from ${min} to ${max}`;
      this.warn(`${path}.${key}`, `expected a whole number ${range}, got ${describeValue(value)}; ${otherwise}`);
      return undefined;
    }
    return number;
  }

  readBoolean(props: JsonObject, key: string, path: string, otherwise: string): boolean | undefined {
    const value = this.read(props, key, path, otherwise);
    if (value === undefined) return undefined;
    if (value === true || value === "true") return true;
    if (value === false || value === "false") return false;
    this.warn(`${path}.${key}`, `expected true or false, got ${describeValue(value)}; ${otherwise}`);
    return undefined;
  }

  readString(props: JsonObject, key: string, path: string, otherwise: string): string | undefined {
    const value = this.read(props, key, path, otherwise);
    if (value === undefined) return undefined;
    if (typeof value === "string") return value;
    this.warn(`${path}.${key}`, `expected a string, got ${describeValue(value)}; ${otherwise}`);
    return undefined;
  }

  /** Whether a push trigger is switched off (Enabled false or State DISABLED): such a trigger gets no entry. */
  disabled(props: JsonObject, path: string): boolean {
    const enabled = props.Enabled === undefined ? undefined : this.readBoolean(props, "Enabled", path, "taken as enabled");
    const state = props.State === undefined ? undefined : this.readString(props, "State", path, "taken as ENABLED");
    if (enabled === false || state === "DISABLED") {
      this.warn(path, "disabled in the template: no workload entry");
      return true;
    }
    return false;
  }

  /** A filter lowers the rate that reaches the function by an amount the template cannot tell. */
  warnFilter(props: JsonObject, key: string, path: string, what: string): void {
    if (props[key] !== undefined)
      this.warn(`${path}.${key}`, `${what} filtered out never reach the function: set the rate to what passes the filter`);
  }

  /** The first resource of one of these types that a value refers to (Ref, GetAtt, Sub). */
  referencedResource(value: Json | undefined, types: string[]): { id: string; resource: JsonObject } | undefined {
    for (const id of this.evaluator.references(value)) {
      const resource = this.resources[id];
      if (isObject(resource) && types.includes(String(resource.Type))) return { id, resource };
    }
    return undefined;
  }
}
