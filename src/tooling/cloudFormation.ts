import { Pair, Scalar, YAMLMap, type Node } from "yaml";
import { describeDocument, describeValue, InputError } from "../common/inputError.js";
import { parseYamlInput } from "../common/yamlInput.js";

/*
 * Reading CloudFormation and SAM templates: YAML with the intrinsic-function tags (!Ref, !GetAtt,
 * !Sub, ...) or JSON, and evaluating the intrinsics whose value the template itself determines
 * (parameter defaults, mappings, conditions on them). Anything that depends on the deployment (a
 * resource's ARN, the region, an imported value) is "unresolved", and the caller falls back.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The short-form tags and the long form each stands for: !Ref X is { Ref: X }. */
const INTRINSIC_TAGS: Record<string, string> = {
  Ref: "Ref",
  Condition: "Condition",
  ...Object.fromEntries(
    [
      "And",
      "Base64",
      "Cidr",
      "Equals",
      "FindInMap",
      "ForEach",
      "GetAtt",
      "GetAZs",
      "If",
      "ImportValue",
      "Join",
      "Length",
      "Not",
      "Or",
      "Select",
      "Split",
      "Sub",
      "ToJsonString",
      "Transform",
    ].map((name) => [name, `Fn::${name}`]),
  ),
};

/**
 * Each tag in its three node forms (scalar, sequence, mapping), so no spelling fails to parse. A
 * scalar's resolver returns the long form itself; a collection's wraps its node, so that nested
 * tags and anchors inside it resolve as usual.
 */
const CUSTOM_TAGS = Object.entries(INTRINSIC_TAGS).flatMap(([tag, key]) => {
  const wrap = (node: Node) => {
    const map = new YAMLMap();
    map.items.push(new Pair(new Scalar(key), node));
    return map;
  };
  return [
    // !GetAtt Resource.Attribute is the short form of [Resource, Attribute].
    { tag: `!${tag}`, resolve: (text: string) => ({ [key]: tag === "GetAtt" ? splitGetAtt(text) : text }) },
    { tag: `!${tag}`, collection: "seq" as const, resolve: wrap },
    { tag: `!${tag}`, collection: "map" as const, resolve: wrap },
  ];
});

function splitGetAtt(text: string): string[] {
  const dot = text.indexOf(".");
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Parses a template's text; throws InputError when it is not YAML/JSON or not a template. */
export function parseTemplate(text: string, fileName: string): { template: JsonObject; warnings: string[] } {
  const { data: template, document } = parseYamlInput(text, fileName, { customTags: CUSTOM_TAGS });
  if (template === null || template === undefined) {
    throw new InputError([{ path: "", message: `${fileName}: the template is empty` }]);
  }
  if (!isObject(template)) {
    throw new InputError([
      { path: "", message: `${fileName}: a CloudFormation or SAM template is a mapping with Resources, got ${describeDocument(template)}` },
    ]);
  }
  if (!isObject(template.Resources)) {
    const got = template.Resources === undefined ? "nothing" : describeValue(template.Resources);
    throw new InputError([
      {
        path: "Resources",
        message: `${fileName}: expected a mapping of logical ids to resources, got ${got}; is this a CloudFormation or SAM template?`,
      },
    ]);
  }
  // Other tags (not CloudFormation's) parse as their plain value; say so rather than guess.
  const warnings = document.warnings.map((warning) => {
    const position = warning.linePos?.[0];
    const where = position ? `${fileName}:${position.line}:${position.col}` : fileName;
    return `${where}: ${warning.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}; read as the plain value`;
  });
  return { template, warnings };
}

/** A value the template alone does not determine, and why. */
export class Unresolved {
  constructor(readonly reason: string) {}
}

/** !Ref AWS::NoValue: the property counts as not written. */
export const NO_VALUE = Symbol("AWS::NoValue");

export type Evaluated = Json | Unresolved | typeof NO_VALUE | undefined;

function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || keys[0].startsWith("Fn::")) ? keys[0] : undefined;
}

/** A value as a template's author writes it: !GetAtt Queue.Arn, !If [IsProd, 10, !Ref AWS::NoValue]. */
export function showIntrinsic(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(showIntrinsic).join(", ")}]`;
  if (typeof value === "string") return value;
  const name = intrinsicName(value);
  if (!name || !isObject(value)) return describeValue(value);
  const argument = value[name];
  const tag = name === "Ref" ? "!Ref" : `!${name.slice(4)}`;
  if (name === "Fn::GetAtt" && Array.isArray(argument)) return `${tag} ${argument.map(String).join(".")}`;
  return `${tag} ${showIntrinsic(argument)}`;
}

/** Evaluates intrinsics from the template's own Parameters (their defaults), Mappings and Conditions. */
export class TemplateEvaluator {
  private readonly parameters: JsonObject;
  private readonly mappings: JsonObject;
  private readonly conditions: JsonObject;
  private readonly resources: JsonObject;
  private readonly conditionValues = new Map<string, boolean | undefined>();
  /** Parameters whose Default stood in for the value a deployment would pass, in order of use. */
  readonly defaultsUsed = new Map<string, Json>();

  constructor(template: JsonObject) {
    this.parameters = isObject(template.Parameters) ? template.Parameters : {};
    this.mappings = isObject(template.Mappings) ? template.Mappings : {};
    this.conditions = isObject(template.Conditions) ? template.Conditions : {};
    this.resources = isObject(template.Resources) ? template.Resources : {};
  }

  evaluate(value: Json | undefined): Evaluated {
    const name = intrinsicName(value);
    if (!name || !isObject(value)) return value;
    const argument = value[name];
    const list = Array.isArray(argument) ? argument : [];
    switch (name) {
      case "Ref":
        return this.ref(String(argument));
      case "Fn::If": {
        const holds = this.condition(String(list[0]));
        if (holds === undefined) return new Unresolved(`its condition ${String(list[0])} cannot be evaluated from the template`);
        return this.evaluate(holds ? list[1] : list[2]);
      }
      case "Fn::FindInMap":
        return this.findInMap(list);
      case "Fn::Join": {
        const items = this.evaluate(list[1]);
        if (!Array.isArray(items)) return this.unresolvedFrom(items, value);
        const parts = items.map((item) => this.evaluate(item));
        const unresolved = parts.find((part) => part instanceof Unresolved);
        if (unresolved) return unresolved;
        return parts
          .filter((part) => part !== NO_VALUE)
          .map(String)
          .join(String(list[0]));
      }
      case "Fn::Select": {
        const items = this.evaluate(list[1]);
        const index = Number(this.evaluate(list[0]));
        if (!Array.isArray(items) || !Number.isInteger(index)) return this.unresolvedFrom(items, value);
        return index >= 0 && index < items.length ? this.evaluate(items[index]) : new Unresolved(`index ${index} is outside the list`);
      }
      case "Fn::Split": {
        const text = this.evaluate(list[1]);
        return typeof text === "string" ? text.split(String(list[0])) : this.unresolvedFrom(text, value);
      }
      case "Fn::Length": {
        const items = this.evaluate(argument);
        return Array.isArray(items) ? items.length : this.unresolvedFrom(items, value);
      }
      case "Fn::Sub":
        return this.sub(typeof argument === "string" ? argument : String(list[0]), isObject(list[1]) ? list[1] : {});
      default:
        return new Unresolved(`${showIntrinsic(value)} depends on the deployment`);
    }
  }

  /** Whether a named condition holds, or undefined when it depends on the deployment. */
  condition(name: string): boolean | undefined {
    if (this.conditionValues.has(name)) return this.conditionValues.get(name);
    this.conditionValues.set(name, undefined); // a condition that refers to itself stays undecided
    const value = this.conditionExpression(this.conditions[name]);
    this.conditionValues.set(name, value);
    return value;
  }

  /** Logical ids of the resources a value refers to (Ref, GetAtt, ${Id} in Sub), in order. */
  references(value: Json | undefined): string[] {
    const found: string[] = [];
    const visit = (node: Json | undefined): void => {
      const name = intrinsicName(node);
      if (!name || !isObject(node)) {
        if (Array.isArray(node)) node.forEach(visit);
        return;
      }
      const argument = node[name];
      if (name === "Ref" || name === "Fn::GetAtt") {
        const id = Array.isArray(argument) ? String(argument[0]) : String(argument).split(".")[0];
        if (id in this.resources) found.push(id);
      } else if (name === "Fn::Sub") {
        const text = typeof argument === "string" ? argument : Array.isArray(argument) ? String(argument[0]) : "";
        for (const match of text.matchAll(/\$\{([^!}][^}.]*)/g)) if (match[1] in this.resources) found.push(match[1]);
        if (Array.isArray(argument)) visit(argument[1]);
      } else {
        visit(argument);
      }
    };
    visit(value);
    return [...new Set(found)];
  }

  private ref(name: string): Evaluated {
    if (name === "AWS::NoValue") return NO_VALUE;
    const parameter = this.parameters[name];
    if (isObject(parameter)) {
      if (parameter.Default === undefined) return new Unresolved(`parameter ${name} has no Default`);
      this.defaultsUsed.set(name, parameter.Default);
      const type = String(parameter.Type ?? "");
      const isList = type === "CommaDelimitedList" || type.startsWith("List<");
      return isList && typeof parameter.Default === "string" ? parameter.Default.split(",").map((item) => item.trim()) : parameter.Default;
    }
    if (name.startsWith("AWS::")) return new Unresolved(`${name} depends on the deployment`);
    if (name in this.resources) return new Unresolved(`!Ref ${name} is the deployed resource's id`);
    return new Unresolved(`!Ref ${name} names no parameter or resource of the template`);
  }

  private findInMap(list: Json[]): Evaluated {
    const [map, top, second] = list.slice(0, 3).map((part) => this.evaluate(part));
    const options = list[3];
    const fallback = isObject(options) ? options.DefaultValue : undefined;
    for (const key of [map, top, second]) {
      if (typeof key !== "string" && typeof key !== "number") {
        return key instanceof Unresolved ? key : new Unresolved("its keys cannot be evaluated from the template");
      }
    }
    const mapping = this.mappings[String(map)];
    const row = isObject(mapping) ? mapping[String(top)] : undefined;
    const found = isObject(row) ? row[String(second)] : undefined;
    if (found !== undefined) return this.evaluate(found);
    if (fallback !== undefined) return this.evaluate(fallback);
    return new Unresolved(`Mappings.${String(map)}.${String(top)}.${String(second)} does not exist`);
  }

  private sub(text: string, variables: JsonObject): Evaluated {
    let unresolved: Unresolved | undefined;
    const result = text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith("!")) return `\${${name.slice(1)}}`;
      const value =
        name in variables
          ? this.evaluate(variables[name])
          : name.includes(".")
            ? new Unresolved(`\${${name}} depends on the deployment`)
            : this.ref(name);
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
      unresolved ??= value instanceof Unresolved ? value : new Unresolved(`\${${name}} is not a plain value`);
      return whole;
    });
    return unresolved ?? result;
  }

  private conditionExpression(expression: Json | undefined): boolean | undefined {
    if (!isObject(expression)) return undefined;
    if (typeof expression.Condition === "string" && Object.keys(expression).length === 1) return this.condition(expression.Condition);
    const name = intrinsicName(expression);
    const list = name && Array.isArray(expression[name]) ? (expression[name] as Json[]) : [];
    switch (name) {
      case "Fn::Equals": {
        const [a, b] = list.map((part) => this.evaluate(part));
        const plain = (v: Evaluated) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
        return plain(a) && plain(b) ? String(a) === String(b) : undefined;
      }
      case "Fn::Not": {
        const inner = this.conditionExpression(list[0]);
        return inner === undefined ? undefined : !inner;
      }
      case "Fn::And":
      case "Fn::Or": {
        const values = list.map((part) => this.conditionExpression(part));
        const decisive = name === "Fn::Or";
        if (values.includes(decisive)) return decisive;
        return values.includes(undefined) ? undefined : !decisive;
      }
      default:
        return undefined;
    }
  }

  private unresolvedFrom(part: Evaluated, whole: Json): Unresolved {
    return part instanceof Unresolved ? part : new Unresolved(`${showIntrinsic(whole)} cannot be evaluated from the template`);
  }
}
