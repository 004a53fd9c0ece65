// Everything under `root` that shows less than its content: clipped text
// (content wider than its box where overflow is not visible, or taller where
// it is hidden), clamped lines, and boxes that stick out of root. Visually
// hidden helpers (1 px boxes for screen readers) are skipped. One line per problem.
(root) => {
  const problems = [];
  const outer = root.getBoundingClientRect();
  const describe = (el) =>
    `${el.className || el.tagName} "${(el.innerText || "").trim().slice(0, 60)}"`;
  for (const el of [root, ...root.querySelectorAll("*")]) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    if (el.clientWidth <= 1 && el.clientHeight <= 1) continue;
    if (!(el.innerText || "").trim()) continue;
    const clipsX = style.overflowX !== "visible";
    const clipsY = style.overflowY === "hidden" || style.overflowY === "clip";
    if (clipsX && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`cut on the right (${el.scrollWidth} > ${el.clientWidth} px): ${describe(el)}`);
    }
    if (clipsY && el.scrollHeight > el.clientHeight + 1) {
      problems.push(`cut at the bottom (${el.scrollHeight} > ${el.clientHeight} px): ${describe(el)}`);
    }
    const clamp = style.webkitLineClamp;
    if (clamp && clamp !== "none" && el.scrollHeight > el.clientHeight + 1) {
      problems.push(`lines clamped: ${describe(el)}`);
    }
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.left < outer.left - 1 || box.right > outer.right + 1)) {
      const span = `${Math.round(box.left)}..${Math.round(box.right)} px`;
      problems.push(`outside ${Math.round(outer.left)}..${Math.round(outer.right)} (${span}): ${describe(el)}`);
    }
  }
  return problems;
}
