// The two checks of src/js/args.rs that run in JS: what kind of value an argument is (for the
// message of a wrong-type error), and how deep a JSON-like value nests. The walk is a loop with its
// own stack, so it holds no wasm frame and cannot overflow the stack however deep the value is.

// A short description of `v` for a message: "a string", "NaN", "a Map", "an object", ...
export function kindOf(v) {
  if (v === null) return "null";
  switch (typeof v) {
    case "undefined": return "undefined";
    case "number": return Number.isNaN(v) ? "NaN" : "a number";
    case "string": return "a string";
    case "boolean": return "a boolean";
    case "bigint": return "a bigint";
    case "symbol": return "a symbol";
    case "function": return "a function";
  }
  if (Array.isArray(v)) return "an array";
  const tag = Object.prototype.toString.call(v).slice(8, -1);
  if (tag === "Object") return "an object";
  return /^[AEIOU]/.test(tag) ? "an " + tag : "a " + tag;
}

// 0 when `value` nests at most `maxDepth` objects/arrays deep and holds at most `maxNodes` of them;
// 1 when it nests deeper (a value that contains itself does too), 2 when it holds more.
export function nestingOver(value, maxDepth, maxNodes) {
  const values = [value];
  const depths = [1];
  let nodes = 0;
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop();
    if (v === null || typeof v !== "object" || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) continue;
    if (depth > maxDepth) return 1;
    if (++nodes > maxNodes) return 2;
    let children;
    if (Array.isArray(v)) children = v;
    else if (v instanceof Map) children = [...v.keys(), ...v.values()];
    else if (v instanceof Set) children = [...v];
    else children = Object.values(v);
    for (const c of children) {
      if (c !== null && typeof c === "object") {
        values.push(c);
        depths.push(depth + 1);
      }
    }
  }
  return 0;
}
