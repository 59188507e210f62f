import { notFound } from '../../errors.ts';
import type { ContractorCards } from './contractor-cards.ts';
import type { ContractorDefaults } from './contractor-defaults.ts';
import type { JumpCalls } from './jump-calls.ts';
import { JumpRequestError } from './vendor/client.ts';
import type { JumpContractor, JumpContractorInput } from './vendor/schemas.ts';

/** A contractor as the mutations send it: agent and group may be left to the defaults. */
export type ContractorBody = Omit<JumpContractorInput, 'agent_id' | 'group_id'> & { agent_id?: number; group_id?: number };

/**
 * Upsert, update and delete of contractors. The card the vendor answers is remembered, so the next read costs
 * nothing; a deleted contractor's card is forgotten. None of them counts in the operation's vendor calls.
 */
export class ContractorWrites {
  constructor(
    private readonly calls: JumpCalls,
    private readonly defaults: Pick<ContractorDefaults, 'resolve'>,
    private readonly cards: Pick<ContractorCards, 'remember' | 'forget'>,
  ) {}

  async upsert(input: ContractorBody): Promise<JumpContractor> {
    const { agentId, groupId } = await this.defaults.resolve(input.agent_id, input.group_id);
    const card = await this.calls.call((client) => client.upsertContractor({ ...input, agent_id: agentId, group_id: groupId }));
    await this.cards.remember([card]);
    return card;
  }

  async update(id: number, input: ContractorBody): Promise<JumpContractor> {
    const { agentId, groupId } = await this.defaults.resolve(input.agent_id, input.group_id);
    try {
      const card = await this.calls.call((client) => client.updateContractor(id, { ...input, agent_id: agentId, group_id: groupId }));
      await this.cards.remember([card]);
      return card;
    } catch (error) {
      if (error instanceof JumpRequestError && error.status === 404)
        throw notFound(`Jump.Finance has no contractor ${id}`, { contractorId: String(id) });
      throw error;
    }
  }

  /** false when the vendor had no such contractor. */
  async delete(id: number): Promise<boolean> {
    const deleted = await this.calls.call((client) => client.deleteContractor(id));
    await this.cards.forget(id);
    return deleted;
  }
}
