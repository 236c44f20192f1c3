import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LuaScript } from './lua-script.js';

/**
 * Where the `.lua` files are: next to this module when running from
 * source, else in the package's `src/scripts` (the build does not copy
 * them; `src` is published).
 */
function scriptsDirectory(): URL {
  const here = new URL('./scripts/', import.meta.url);
  // A `dist/scripts/` left by an older build holds no `.lua`: look for one.
  if (existsSync(fileURLToPath(new URL('add.lua', here)))) return here;
  return new URL('../src/scripts/', import.meta.url);
}

const INCLUDE = /^--- @include "([^"]+)"$/gm;

/**
 * Reads `scripts/<name>.lua` and resolves its `--- @include "includes/….lua"`
 * lines (each file once, in order), BullMQ style: scripts stay plain Lua
 * files that review and highlight as Lua.
 *
 * @example
 * ```ts
 * const add = loadScript('add');
 * await add.run(client, keys, args, 'ADD mail:p:1');
 * ```
 */
export function loadScript(name: string): LuaScript {
  const directory = scriptsDirectory();
  const included = new Set<string>();
  const expand = (file: string): string =>
    readFileSync(new URL(file, directory), 'utf8').replace(INCLUDE, (_, path: string) => {
      if (included.has(path)) return '';
      included.add(path);
      return expand(path);
    });
  return new LuaScript(name, expand(`${name}.lua`));
}
