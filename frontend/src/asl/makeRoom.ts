// When a state arrives or a container grows (a step or a branch added inside it), the cards it
// now covers move down out of its way, and so on up through every container that holds it: an
// addition never lands on, or hides, another card.
import {
  buildNodes,
  GAP,
  NODE_HEIGHT,
  NODE_WIDTH,
  overlaps,
  type Box,
  type StateNode,
} from "./graph";
import type { Definition, Layout } from "./types";

/** Sizes the canvas measured, by node id: a card with a problem shown is taller than most. */
export type Measured = ReadonlyMap<string, { width?: number; height?: number } | undefined>;

function boxOf(node: StateNode, measured: Measured): Box {
  const seen = measured.get(node.id);
  return {
    ...node.position,
    width: node.width ?? seen?.width ?? NODE_WIDTH,
    height: node.height ?? seen?.height ?? NODE_HEIGHT,
  };
}

/**
 * The layout with the siblings of `changed` that overlap it (or a card moved for it) pushed
 * down below, then the same one level up for its container, to the top. Siblings are taken from
 * the top down, and a card the change does not reach stays where it is.
 */
export function makeRoom(
  definition: Definition,
  positions: Layout,
  changed: string,
  collapsed: ReadonlySet<string> = new Set(),
  measured: Measured = new Map(),
): Layout {
  let layout = positions;
  let key: string | undefined = changed;
  // One level per pass: each pass rebuilds the nodes, since moving cards resizes their holder.
  for (let depth = 0; key !== undefined && depth < 64; depth++) {
    const nodes = buildNodes({ definition, positions: layout, collapsed });
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const grown = byId.get(key);
    if (!grown) break;
    const siblings = nodes
      .filter((n) => n.parentId === grown.parentId && n.id !== key && n.type !== "lane")
      .sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x);
    // Only what the change reaches moves (the grown box, then each card moved for it); a card
    // that must move goes down past everything already placed.
    const pushers: Box[] = [boxOf(grown, measured)];
    const placed: Box[] = [boxOf(grown, measured)];
    let moved: Layout | null = null;
    for (const sibling of siblings) {
      const box = boxOf(sibling, measured);
      if (pushers.some((p) => overlaps(p, box))) {
        for (let blocker = placed.find((p) => overlaps(p, box)); blocker;) {
          box.y = blocker.y + blocker.height + GAP;
          blocker = placed.find((p) => overlaps(p, box));
        }
        (moved ??= { ...layout })[sibling.id] = { x: box.x, y: box.y };
        pushers.push(box);
      }
      placed.push(box);
    }
    if (moved) layout = moved;
    // Up one level: a state in a lane belongs to the Parallel that holds the lane.
    const parent: StateNode | undefined =
      grown.parentId === undefined ? undefined : byId.get(grown.parentId);
    key = parent?.type === "lane" ? parent.parentId : parent?.id;
  }
  return layout;
}
