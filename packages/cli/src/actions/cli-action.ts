import type { Action, ActionStep, WireCommand } from '@umapi-kit/client';

/**
 * An action as the CLI builds it: a command entry with its steps, in the Action API's wire format
 * (umapi-api.md §4). The client splits long lists and step sequences itself.
 */
export class CliAction implements Action {
  readonly kind: 'user' | 'usergroup';
  readonly target: string;
  readonly requestId?: string | undefined;
  private readonly frame: Omit<WireCommand, 'do'>;
  private readonly steps: ActionStep[];

  constructor(
    kind: 'user' | 'usergroup',
    target: string,
    frame: Omit<WireCommand, 'do'>,
    steps: ActionStep[],
    requestId?: string,
  ) {
    this.kind = kind;
    this.target = target;
    this.frame = frame;
    this.steps = steps;
    if (requestId !== undefined) this.requestId = requestId;
  }

  toWire(): WireCommand {
    const wire: WireCommand = { ...this.frame, do: this.steps.map((step) => ({ ...step })) };
    if (this.requestId !== undefined) wire.requestID = this.requestId;
    return wire;
  }
}

export interface UserTarget {
  user: string;
  domain?: string | undefined;
  useAdobeId?: boolean | undefined;
}

export function userAction(target: UserTarget, steps: ActionStep[], requestId?: string): CliAction {
  const frame: Omit<WireCommand, 'do'> = { user: target.user };
  if (target.domain !== undefined) frame.domain = target.domain;
  if (target.useAdobeId === true) frame.useAdobeID = true;
  const label = target.domain === undefined ? target.user : `${target.user} (${target.domain})`;
  return new CliAction('user', label, frame, steps, requestId);
}

export function groupAction(name: string, steps: ActionStep[], requestId?: string): CliAction {
  return new CliAction('usergroup', name, { usergroup: name }, steps, requestId);
}
