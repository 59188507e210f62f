import { describe, expect, it } from 'vitest';
import { ContractorDefaults, type VendorDefaults } from '../../src/modules/payouts/contractor-defaults.ts';

/** Defaults over a discovery whose answers the test queues, counting how often the vendor was asked. */
function defaultsWith(configured: VendorDefaults, answers: Array<VendorDefaults | Error>) {
  let asked = 0;
  const defaults = new ContractorDefaults(configured, async () => {
    asked += 1;
    const answer = answers.shift();
    if (!answer) throw new Error('asked more often than expected');
    if (answer instanceof Error) throw answer;
    return answer;
  });
  return { defaults, asked: () => asked };
}

const NONE: VendorDefaults = { agentId: undefined, groupId: undefined };

describe('contractor defaults', () => {
  it('input first, then JUMP_AGENT_ID / JUMP_GROUP_ID; the vendor is not asked when nothing is missing', async () => {
    const { defaults, asked } = defaultsWith({ agentId: 10, groupId: 20 }, []);
    expect(await defaults.resolve(undefined, undefined)).toEqual({ agentId: 10, groupId: 20 });
    expect(await defaults.resolve(11, undefined)).toEqual({ agentId: 11, groupId: 20 });
    expect(asked()).toBe(0);
    const bare = defaultsWith(NONE, []);
    expect(await bare.defaults.resolve(1, 2)).toEqual({ agentId: 1, groupId: 2 });
    expect(bare.asked()).toBe(0);
  });

  it("the vendor's suggestion is read once per process; a failed read is not remembered", async () => {
    const { defaults, asked } = defaultsWith(NONE, [new Error('down'), { agentId: 7, groupId: 8 }]);
    await expect(defaults.resolve(undefined, undefined)).rejects.toThrow('down');
    expect(await defaults.resolve(undefined, undefined)).toEqual({ agentId: 7, groupId: 8 });
    expect(await defaults.resolve(undefined, 9)).toEqual({ agentId: 7, groupId: 9 });
    expect(asked()).toBe(2);
  });

  it('without an agent or a group anywhere: BAD_USER_INPUT naming the argument', async () => {
    const several = defaultsWith({ agentId: undefined, groupId: 2 }, [{ agentId: undefined, groupId: 5 }]);
    await expect(several.defaults.resolve(undefined, undefined)).rejects.toMatchObject({
      message: '"agentId" is required: Jump.Finance has several legal entities and JUMP_AGENT_ID is not set',
      extensions: { code: 'BAD_USER_INPUT', argument: 'agentId' },
    });
    const noGroup = defaultsWith({ agentId: 1, groupId: undefined }, [{ agentId: 1, groupId: undefined }]);
    await expect(noGroup.defaults.resolve(undefined, undefined)).rejects.toMatchObject({
      message: '"groupId" is required: Jump.Finance reports no default group and JUMP_GROUP_ID is not set',
      extensions: { code: 'BAD_USER_INPUT', argument: 'groupId' },
    });
  });
});
