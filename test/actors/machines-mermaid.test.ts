import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { machineMarkdown, machineToMermaid } from '../../src/actors/mermaid.js';
import { exportMermaid, MACHINES, machinePage } from '../../src/cli/export-machines.js';

/** A small machine with each thing the converter draws. */
const door = createMachine(
  {
    id: 'door',
    initial: 'closed',
    on: { smash: { target: '.broken' }, knock: { actions: 'answer' } },
    states: {
      closed: {
        description: 'Shut.',
        on: { open: [{ guard: 'unlocked', target: 'open' }, { actions: 'complain' }], knock: { actions: 'ignore' } },
      },
      open: {
        entry: 'creak',
        after: { 5000: { target: 'closed' } },
        on: { 'wind:gust': { target: 'closed' } },
      },
      broken: {
        initial: 'cracked',
        states: {
          cracked: { after: { settle: { guard: 'heavy', target: 'fallen' } } },
          fallen: { type: 'final' },
        },
        onDone: { target: 'gone' },
      },
      gone: { type: 'final' },
    },
  },
  { delays: { settle: 100 } },
);

describe('machineToMermaid', () => {
  const text = machineToMermaid(door);
  const lines = text.split('\n');

  it('is a stateDiagram-v2 starting in the initial state, with every state named', () => {
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines[1]).toBe('  [*] --> closed');
    for (const s of ['closed', 'open', 'gone']) expect(lines).toContain(`  state "${s}" as ${s}`);
  });

  it('puts events on arrows, guards in [brackets] and actions after a slash', () => {
    expect(lines).toContain('  closed --> open : open [unlocked]');
    expect(lines).toContain('  closed : open / complain');
    expect(lines).toContain('  open : entry / creak');
  });

  it('draws delayed transitions as after <delay>, named or in milliseconds, without xstate\'s timer actions', () => {
    expect(lines).toContain('  open --> closed : after 5000ms');
    expect(lines).toContain('    broken_cracked --> broken_fallen : after settle [heavy]');
    expect(text).not.toMatch(/cancel|raise/);
  });

  it('ends final states in [*], the nested one inside its parent', () => {
    expect(lines).toContain('  gone --> [*]');
    expect(lines).toContain('    broken_fallen --> [*]');
    expect(lines).toContain('  broken --> gone : xstate.done.state.door.broken');
  });

  it('nests child states in a block with their own initial state', () => {
    const open = lines.indexOf('  state "broken" as broken {');
    expect(open).toBeGreaterThan(0);
    expect(lines[open + 1]).toBe('    [*] --> broken_cracked');
    expect(lines.indexOf('    state "cracked" as broken_cracked')).toBeGreaterThan(open);
    expect(lines.indexOf('  }', open)).toBeGreaterThan(lines.indexOf('    broken_fallen --> [*]'));
  });

  it('draws the root\'s handlers from each live top-level state that does not answer the event unguarded', () => {
    for (const s of ['closed', 'open']) expect(lines).toContain(`  ${s} --> broken : smash`);
    expect(lines).not.toContain('  gone --> broken : smash');
    expect(lines).toContain('  open : knock / answer');
    expect(lines).toContain('  closed : knock / ignore');
    expect(lines).not.toContain('  closed : knock / answer');
  });

  it('lists what a composite state does without leaving it in a note, since Mermaid cannot loop an arrow on a composite', () => {
    const note = lines.indexOf('  note right of broken');
    expect(note).toBeGreaterThan(lines.indexOf('  state "broken" as broken {'));
    expect(lines.slice(note + 1, note + 4)).toEqual(['    knock / answer', '    smash → itself', '  end note']);
    expect(lines).not.toContain('  broken --> broken : smash');
  });

  it('writes characters that would end a Mermaid label as entity codes', () => {
    expect(lines).toContain('  open --> closed : wind#58;gust');
  });

  it('wraps the diagram in a markdown page with a heading and the state descriptions', () => {
    const md = machineMarkdown(door, 'door', 'A door.');
    expect(md.startsWith('# door\n\nA door.\n\n```mermaid\nstateDiagram-v2\n')).toBe(true);
    expect(md).toContain(`${text.trimEnd()}\n\`\`\`\n`);
    expect(md).toContain('- **closed**: Shut.');
  });
});

it('the committed docs/machines/*.md are a fresh generation of the machines', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actorhsm-mermaid-'));
  try {
    const pages = exportMermaid(dir);
    expect(pages.map((f) => path.basename(f)).sort()).toEqual(Object.keys(MACHINES).map((n) => `${n}.md`).sort());
    for (const f of pages) {
      expect(fs.readFileSync(path.join('docs/machines', path.basename(f)), 'utf8'), `${path.basename(f)}: run npm run machines`).toBe(fs.readFileSync(f, 'utf8'));
    }
    const owner = machinePage('nvm-owner');
    expect(owner).toContain('  contended --> handover : after leaseDeadline [hasDeadline] / endLease, replayWaiting');
    expect(owner).toContain('  leased --> serving : lease.release [fromHolder] / confirmRelease, dropHolder');
    expect(owner).toContain('  handover --> leased : always [leaseHeld]');
    expect(machinePage('client-session')).toContain('  closed --> [*]');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
