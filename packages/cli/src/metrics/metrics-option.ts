import type { OptionSpec } from '../cli/command.js';

/** `--metrics-file` of `sync run`, `sync apply` and `fleet run`. */
export const metricsFileOption = {
  flags: '--metrics-file <file>',
  description:
    'at the end, write the run in Prometheus text format to FILE (whole, via a temporary file and a rename: ' +
    "node_exporter's textfile collector, e.g. /var/lib/node_exporter/textfile/umapi.prom): entries by kind " +
    'and outcome, requests, retries, 429s, Retry-After seconds, pages read, held entries, duration, last success',
} as const satisfies OptionSpec;
