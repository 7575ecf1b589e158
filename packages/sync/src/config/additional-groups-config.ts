import type { Node as YamlNode } from 'yaml';
import type { AdditionalGroupRule } from '../plan/sync-rules.js';
import type { Reader } from './sync-config.js';

/**
 * `directory_users.additional_groups`: a list of `{ source, target }`; `source` is a regular expression matched
 * against the whole directory group name, `target` the Adobe group, where `\1`, `\2`, ... stand for what the
 * source captured (the User Sync Tool's syntax). A reference to a group the source does not capture is refused.
 */
export function readAdditionalGroups(reader: Reader, node: YamlNode): AdditionalGroupRule[] {
  return reader.list(node, 'directory_users.additional_groups').map((item) => {
    const entry = reader.map(item.node, item.key, ['source', 'target']);
    const source = entry.get('source');
    const target = entry.get('target');
    if (source === undefined)
      reader.fail(item.node, `${item.key}.source`, 'is required (a regular expression)');
    if (target === undefined) {
      reader.fail(
        item.node,
        `${item.key}.target`,
        'is required (the Adobe group, with \\1 for a captured part)',
      );
    }
    const sourceText = reader.string(source, `${item.key}.source`);
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${sourceText})$`);
    } catch (error) {
      return reader.fail(
        source,
        `${item.key}.source`,
        `not a valid regular expression: ${(error as Error).message}`,
      );
    }
    const text = reader.string(target, `${item.key}.target`);
    if (text.includes('::')) {
      reader.fail(
        target,
        `${item.key}.target`,
        "names another org: additional_groups map to the primary org only; map a secondary org's groups in groups",
      );
    }
    // How many groups the source captures: an empty alternative always matches, with every group undefined.
    const captures = new RegExp(`${pattern.source}|`).exec('')?.length ?? 1;
    for (const match of text.matchAll(/\\(\d+)/g)) {
      if (Number(match[1]) >= captures) {
        reader.fail(
          target,
          `${item.key}.target`,
          `\\${match[1] ?? ''} refers to a group the source does not capture (it has ${String(captures - 1)})`,
        );
      }
    }
    return { source: pattern, sourceText, target: text };
  });
}
