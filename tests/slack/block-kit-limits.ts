/**
 * Checks Block Kit payloads against Slack's documented limits (what makes chat.postMessage,
 * views.open or views.publish fail with invalid_blocks). Returns the problems found.
 */
export function blockKitProblems(blocks: any[], surface: "message" | "modal" | "home"): string[] {
  const problems: string[] = [];
  const max = surface === "message" ? 50 : 100;
  if (blocks.length > max) problems.push(`${blocks.length} blocks (max ${max})`);
  const blockIds = new Set<string>();
  const text = (t: any, limit: number, where: string) => {
    if (!t) return;
    if (typeof t.text !== "string" || !t.text.length) problems.push(`${where}: empty text`);
    else if (t.text.length > limit) problems.push(`${where}: text ${t.text.length} > ${limit}`);
  };
  const option = (o: any, where: string) => {
    text(o.text, 75, `${where} option text`);
    if (typeof o.value !== "string" || o.value.length > 150) problems.push(`${where}: option value`);
    if (o.description) text(o.description, 75, `${where} option description`);
  };
  const element = (e: any, where: string) => {
    if (e.action_id && e.action_id.length > 255) problems.push(`${where}: action_id too long`);
    switch (e.type) {
      case "button":
        text(e.text, 75, `${where} button`);
        if (e.value !== undefined && e.value.length > 2000) problems.push(`${where}: button value too long`);
        break;
      case "checkboxes":
      case "radio_buttons":
        if (e.options.length > 10) problems.push(`${where}: ${e.options.length} ${e.type} options (max 10)`);
        e.options.forEach((o: any) => option(o, where));
        if (e.initial_option && !e.options.some((o: any) => o.value === e.initial_option.value)) problems.push(`${where}: initial_option not among options`);
        break;
      case "static_select":
        if (e.options.length > 100) problems.push(`${where}: ${e.options.length} select options (max 100)`);
        e.options.forEach((o: any) => option(o, where));
        if (e.placeholder) text(e.placeholder, 150, `${where} placeholder`);
        if (e.initial_option && !e.options.some((o: any) => o.value === e.initial_option.value)) problems.push(`${where}: initial_option not among options`);
        break;
      case "plain_text_input":
        if (e.max_length !== undefined && e.max_length > 3000) problems.push(`${where}: max_length > 3000`);
        break;
    }
  };
  blocks.forEach((b, i) => {
    const where = `block ${i} (${b.type})`;
    if (b.block_id !== undefined) {
      if (b.block_id.length > 255) problems.push(`${where}: block_id too long`);
      if (blockIds.has(b.block_id)) problems.push(`${where}: duplicate block_id ${b.block_id}`);
      blockIds.add(b.block_id);
    }
    switch (b.type) {
      case "header":
        text(b.text, 150, where);
        break;
      case "section":
        if (!b.text && !b.fields) problems.push(`${where}: no text or fields`);
        text(b.text, 3000, where);
        if (b.fields) {
          if (b.fields.length > 10) problems.push(`${where}: ${b.fields.length} fields (max 10)`);
          b.fields.forEach((f: any, j: number) => text(f, 2000, `${where} field ${j}`));
        }
        if (b.accessory) element(b.accessory, where);
        break;
      case "context":
        if (b.elements.length > 10) problems.push(`${where}: ${b.elements.length} elements (max 10)`);
        b.elements.forEach((e: any) => text(e, 3000, where));
        break;
      case "actions": {
        if (b.elements.length > 25) problems.push(`${where}: ${b.elements.length} elements (max 25)`);
        const ids = new Set<string>();
        for (const e of b.elements) {
          if (ids.has(e.action_id)) problems.push(`${where}: duplicate action_id ${e.action_id}`);
          ids.add(e.action_id);
          element(e, where);
        }
        break;
      }
      case "input":
        if (surface === "message") problems.push(`${where}: input block in a message`);
        text(b.label, 2000, `${where} label`);
        element(b.element, where);
        break;
      case "divider":
        break;
      default:
        problems.push(`${where}: unexpected block type`);
    }
  });
  return problems;
}

export function viewProblems(view: any): string[] {
  const problems = blockKitProblems(view.blocks, view.type === "home" ? "home" : "modal");
  if (view.type === "modal") {
    if (view.title.text.length > 24) problems.push("modal title > 24");
    if (view.submit && view.submit.text.length > 24) problems.push("modal submit > 24");
    if (view.close && view.close.text.length > 24) problems.push("modal close > 24");
    if (view.private_metadata && view.private_metadata.length > 3000) problems.push("private_metadata > 3000");
    if (view.callback_id && view.callback_id.length > 255) problems.push("callback_id > 255");
  }
  return problems;
}
