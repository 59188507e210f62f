import { badUserInput } from '../../errors.ts';
import type { JumpCalls } from './jump-calls.ts';

/** What the vendor itself suggests: its default group, and its legal entity when it has exactly one. */
export interface VendorDefaults {
  agentId: number | undefined;
  groupId: number | undefined;
}

/**
 * The agent (legal entity) and group a contractor is created with when the input names none: the input's, else
 * JUMP_AGENT_ID / JUMP_GROUP_ID, else what the vendor suggests — asked only when needed, once per process (a failed
 * discovery is not remembered, so the next upsert asks again).
 */
export class ContractorDefaults {
  private discovered: Promise<VendorDefaults> | undefined;

  constructor(
    private readonly configured: VendorDefaults,
    private readonly discover: () => Promise<VendorDefaults>,
  ) {}

  async resolve(agentId: number | undefined, groupId: number | undefined): Promise<{ agentId: number; groupId: number }> {
    const needsAgent = agentId === undefined && this.configured.agentId === undefined;
    const needsGroup = groupId === undefined && this.configured.groupId === undefined;
    const vendor = needsAgent || needsGroup ? await this.vendorDefaults() : { agentId: undefined, groupId: undefined };
    const agent = agentId ?? this.configured.agentId ?? vendor.agentId;
    const group = groupId ?? this.configured.groupId ?? vendor.groupId;
    if (agent === undefined) {
      throw badUserInput('"agentId" is required: Jump.Finance has several legal entities and JUMP_AGENT_ID is not set', {
        argument: 'agentId',
      });
    }
    if (group === undefined)
      throw badUserInput('"groupId" is required: Jump.Finance reports no default group and JUMP_GROUP_ID is not set', {
        argument: 'groupId',
      });
    return { agentId: agent, groupId: group };
  }

  private vendorDefaults(): Promise<VendorDefaults> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = undefined;
      throw error;
    });
    return this.discovered;
  }
}

/** Reads the vendor's groups and legal entities: a once-per-process set-up read, not counted as the operation's cost. */
export function discoverVendorDefaults(calls: JumpCalls): () => Promise<VendorDefaults> {
  return async () => {
    const [groups, agents] = await Promise.all([calls.call((client) => client.listGroups()), calls.call((client) => client.listAgents())]);
    return {
      groupId: groups.items.find((group) => group.is_default)?.id,
      agentId: agents.items.length === 1 ? agents.items[0]!.id : undefined,
    };
  };
}
