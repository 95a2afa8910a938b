// Small DOM helpers shared by the views.

// el("button", {class: "x", onclick: fn}, "text", child...) -> element
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element[name] = value;
    else if (name === "class") element.className = value;
    else if (name in element && typeof value !== "string") element[name] = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

export const $ = (id) => document.getElementById(id);

export function when(value) {
  return value ? new Date(value).toLocaleString() : "—";
}

export function fullName(contact) {
  return `${contact.first_name} ${contact.last_name}`.trim() || "(no name)";
}

// A box that shows either nothing, a message, or an error with the API's detail.
export function messageBox() {
  const box = el("pre", { class: "message", hidden: true });
  box.ok = (text) => { box.className = "message ok"; box.textContent = text; box.hidden = false; };
  box.fail = (error) => { box.className = "message error"; box.textContent = error.message || String(error); box.hidden = false; };
  box.clear = () => { box.hidden = true; box.textContent = ""; };
  return box;
}

// Runs an action, showing its error (with detail) in the box instead of losing it.
export async function attempt(box, action) {
  box.clear();
  try {
    return await action();
  } catch (error) {
    box.fail(error);
    return undefined;
  }
}

export function poll(every, step) {
  let timer = null;
  const tick = async () => {
    const keepGoing = await step().catch(() => true);
    if (keepGoing) timer = setTimeout(tick, every);
  };
  tick();
  return () => clearTimeout(timer);
}
