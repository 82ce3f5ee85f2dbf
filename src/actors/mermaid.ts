import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/**
 * An xstate machine definition as a Mermaid `stateDiagram-v2`, read from the
 * machine's own state nodes so the picture cannot drift from the code.
 *
 * Notation (UML's): a transition is `event [guard] / action, action`; one that
 * changes state is an arrow, one that does not (no target) is a line inside its
 * state's box, as are `entry /` and `exit /` actions. Delayed transitions read
 * `after <delay>`, eventless ones `always`. The root's own transitions hold in
 * every top-level state, so each is drawn from every such state that does not
 * answer the event itself without a guard (a top-level final state ends the
 * machine and takes no events). A composite state's box holds its children, so
 * what it does without leaving them goes in a note beside it.
 */
export function machineToMermaid(machine: AnyStateMachine): string {
  const out: string[] = ['stateDiagram-v2'];
  const root = machine.root;
  const edges = new Map<AnyStateNode, string[]>();
  const edgeAt = (scope: AnyStateNode, line: string) => edges.set(scope, [...(edges.get(scope) ?? []), line]);

  // The root's handlers, as each top-level state inherits them.
  const inherited = (child: AnyStateNode) =>
    child.type === 'final' ? [] : transitionsOf(root).filter((t) => !t.eventType || !answersUnguarded(child, t.eventType));

  const emit = (node: AnyStateNode, depth: number): void => {
    const pad = '  '.repeat(depth);
    const inner = node === root ? pad : `${pad}  `;
    const children = Object.values(node.states) as AnyStateNode[];
    if (node !== root) out.push(children.length ? `${pad}${declare(node)} {` : `${pad}${declare(node)}`);
    if (children.length && node.type !== 'parallel') for (const t of node.initial.target) out.push(`${inner}[*] --> ${idOf(t)}`);
    children.forEach((child, i) => {
      if (node.type === 'parallel' && i > 0) out.push(`${inner}--`);
      emit(child, node === root ? depth : depth + 1);
    });
    if (node === root) {
      for (const line of edges.get(node) ?? []) out.push(`${inner}${line}`);
      return;
    }
    const own = [...transitionsOf(node), ...(node.parent === root ? inherited(node) : [])];
    // Mermaid cannot draw an arrow from a composite state into itself: such transitions go in its note.
    const inward = (target: AnyStateNode) => children.length > 0 && isWithin(target, node);
    const lines = [...actionLines(node), ...own.filter((t) => !t.target?.length).map(transitionLabel)];
    for (const t of own) {
      for (const target of t.target ?? []) {
        if (inward(target)) lines.push(`${transitionLabel(t)} → ${target.path.slice(node.path.length).join('.') || 'itself'}`);
        else edgeAt(commonScope(node, target), `${idOf(node)} --> ${idOf(target)} : ${text(transitionLabel(t))}`);
      }
    }
    if (node.type === 'final') edgeAt(node.parent ?? root, `${idOf(node)} --> [*]`);
    if (children.length === 0) {
      for (const line of lines) out.push(`${pad}${idOf(node)} : ${text(line)}`);
      return;
    }
    for (const line of edges.get(node) ?? []) out.push(`${inner}${line}`);
    out.push(`${pad}}`);
    if (lines.length) out.push(`${pad}note right of ${idOf(node)}`, ...lines.map((l) => `${pad}  ${text(l)}`), `${pad}end note`);
  };
  emit(root, 1);
  return `${out.join('\n')}\n`;
}

/** A markdown page for one machine: heading, what it is, the diagram, and each state's description. */
export function machineMarkdown(machine: AnyStateMachine, title: string, note: string): string {
  const described = allStates(machine.root).filter((s) => s.description);
  const list = described.map((s) => `- **${s.path.join('.')}**: ${s.description}`);
  return [`# ${title}`, '', note, '', '```mermaid', machineToMermaid(machine).trimEnd(), '```', ...(list.length ? ['', ...list] : []), ''].join('\n');
}

function allStates(node: AnyStateNode): AnyStateNode[] {
  return (Object.values(node.states) as AnyStateNode[]).flatMap((s) => [s, ...allStates(s)]);
}

/** Event, delayed and eventless transitions, in definition order. */
function transitionsOf(node: AnyStateNode): AnyTransitionDefinition[] {
  return [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
}

function answersUnguarded(node: AnyStateNode, eventType: string): boolean {
  return (node.transitions.get(eventType) ?? []).some((t) => !t.guard);
}

function transitionLabel(t: AnyTransitionDefinition): string {
  const delay = (t as { delay?: unknown }).delay;
  const trigger = delay !== undefined ? `after ${typeof delay === 'number' ? `${delay}ms` : typeof delay === 'string' ? delay : 'delay'}` : t.eventType || 'always';
  const guard = t.guard === undefined ? '' : ` [${nameOf(t.guard, 'guard')}]`;
  const actions = names(t.actions);
  return `${trigger}${guard}${actions.length ? ` / ${actions.join(', ')}` : t.target?.length ? '' : ' (ignored)'}`;
}

function actionLines(node: AnyStateNode): string[] {
  const entry = names(node.entry);
  const exit = names(node.exit);
  return [...(entry.length ? [`entry / ${entry.join(', ')}`] : []), ...(exit.length ? [`exit / ${exit.join(', ')}`] : [])];
}

/** Action names, less the timers xstate adds itself for `after` (raise on entry, cancel on exit). */
function names(actions: readonly unknown[]): string[] {
  const timer = (a: unknown) => {
    const { id, sendId } = a as { id?: unknown; sendId?: unknown };
    return String(id ?? sendId ?? '').startsWith('xstate.after.');
  };
  return actions.filter((a) => !timer(a)).map((a) => nameOf(a, 'action'));
}

function nameOf(x: unknown, fallback: string): string {
  if (typeof x === 'string') return x;
  const type = (x as { type?: unknown }).type;
  if (typeof type === 'string') return type.replace(/^xstate\./, '');
  return (typeof x === 'function' && x.name) || fallback;
}

function isWithin(node: AnyStateNode, ancestor: AnyStateNode): boolean {
  return ancestor.path.every((k, i) => node.path[i] === k);
}

/** Where an edge goes: the innermost compound state holding both ends (Mermaid pulls an edge's ends into the block it is written in). */
function commonScope(a: AnyStateNode, b: AnyStateNode): AnyStateNode {
  for (let p = a.parent; p; p = p.parent) if (isWithin(b, p)) return p;
  return a.machine.root;
}

/** A Mermaid id: the path (unique, unlike keys), in characters Mermaid takes. */
function idOf(node: AnyStateNode): string {
  return node.path.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

/** Always named explicitly: Mermaid would title a box with its first `id : text` line otherwise. */
function declare(node: AnyStateNode): string {
  return `state "${text(node.key)}" as ${idOf(node)}`;
}

/** Mermaid ends a label at `:`, `;` or a newline, and a quoted name at `"`: entity codes instead. */
function text(s: string): string {
  return s.replace(/[:;"#]/g, (c) => `#${c.charCodeAt(0)};`).replace(/\s*\n\s*/g, ' ');
}
