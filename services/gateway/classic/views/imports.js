// CSV import: upload the file, map its columns, start it, then follow its progress
// (rows read / created / merged / failed) and fetch its error report.
import { api, download } from "./api.js";
import { attempt, el, messageBox, poll, when } from "./dom.js";

const TARGETS = ["ignore", "first_name", "last_name", "full_name", "email", "phone", "phone:cell", "phone:home", "phone:work",
  "phone:landline", "street", "city", "state", "zip", "tags", "notes", "owner_user_id"];
const PHONE_TYPES = ["unknown", "cell", "home", "work", "landline"];

export function mountImports(root) {
  const box = messageBox();
  const file = el("input", { type: "file", accept: ".csv,text/csv" });
  const step = el("div", { class: "import-step" });
  const recent = el("tbody");

  async function upload(event) {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) return box.fail(new Error("choose a CSV file first"));
    const job = await attempt(box, () => api(`/api/imports?filename=${encodeURIComponent(chosen.name)}`, { method: "POST", body: chosen, contentType: "text/csv" }));
    if (job) step.replaceChildren(mappingForm(job, (started) => step.replaceChildren(progressView(started, reloadRecent))));
  }

  async function reloadRecent() {
    const jobs = await attempt(box, () => api("/api/imports"));
    if (!jobs) return;
    recent.replaceChildren(...jobs.map((job) => el("tr", {},
      el("td", {}, job.filename), el("td", {}, job.status), el("td", {}, `${job.rows_read} / ${job.created} / ${job.merged} / ${job.failed}`),
      el("td", {}, when(job.created_at)),
      el("td", {}, job.status === "uploaded"
        ? el("button", { type: "button", onclick: () => step.replaceChildren(mappingForm(job, (started) => step.replaceChildren(progressView(started, reloadRecent)))) }, "Map & start")
        : el("button", { type: "button", onclick: () => step.replaceChildren(progressView(job, reloadRecent)) }, "Progress")))));
  }

  root.replaceChildren(
    el("h2", {}, "Import contacts from CSV"),
    el("form", { class: "row", onsubmit: upload }, file, el("button", { class: "primary" }, "Upload")),
    box, step,
    el("h3", {}, "Recent imports"),
    el("table", {}, el("thead", {}, el("tr", {}, ["File", "Status", "Read / created / merged / failed", "Uploaded", ""].map((h) => el("th", {}, h)))), recent));
  return { reload: reloadRecent };
}

// A first guess at each column's target from its header, for the user to correct.
function guessTarget(column) {
  const name = column.toLowerCase().replace(/[^a-z]/g, "");
  const guesses = { firstname: "first_name", first: "first_name", lastname: "last_name", last: "last_name", name: "full_name",
    fullname: "full_name", email: "email", phone: "phone", mobile: "phone:cell", cell: "phone:cell", home: "phone:home",
    work: "phone:work", street: "street", address: "street", city: "city", state: "state", zip: "zip", zipcode: "zip",
    postalcode: "zip", tags: "tags", notes: "notes" };
  return guesses[name] || `custom:${column}`;
}

function mappingForm(job, onStarted) {
  const box = messageBox();
  const selects = job.columns.map((column) => {
    const guess = guessTarget(column);
    const options = [...TARGETS, `custom:${column}`].map((target) => el("option", { value: target, selected: target === guess }, target));
    return [column, el("select", { "data-column": column }, options)];
  });
  const tags = el("input", { placeholder: "tags for every row: a, b" });
  const phoneType = el("select", {}, PHONE_TYPES.map((type) => el("option", { value: type }, type)));
  async function start(event) {
    event.preventDefault();
    const options = {
      columns: Object.fromEntries(selects.map(([column, select]) => [column, select.value])),
      tags: tags.value.split(",").map((tag) => tag.trim()).filter(Boolean),
      default_phone_type: phoneType.value,
    };
    const started = await attempt(box, () => api(`/api/imports/${job.id}/start`, { method: "POST", json: options }));
    if (started) onStarted(started);
  }
  return el("form", { class: "mapping", onsubmit: start },
    el("h3", {}, `Map the columns of ${job.filename} (${job.size} bytes)`),
    el("table", {}, el("tbody", {}, selects.map(([column, select]) => el("tr", {}, el("td", {}, column), el("td", {}, "→ ", select))))),
    el("label", {}, "Tags added to every row ", tags),
    el("label", {}, "Phone type when the column does not say ", phoneType),
    el("button", { class: "primary" }, "Start import"), box);
}

function progressView(job, onFinished) {
  const view = el("div", { class: "import-progress" });
  const box = messageBox();
  function draw(current) {
    const finished = current.status === "completed";
    view.replaceChildren(
      el("h3", {}, `${current.filename}: ${current.status}`),
      el("progress", finished ? { max: 1, value: 1 } : {}),
      el("div", { class: "facts" }, ...[["Rows read", current.rows_read], ["Created", current.created], ["Merged", current.merged], ["Failed", current.failed]]
        .map(([label, value]) => el("span", { class: "fact" }, el("b", {}, `${label}: `), String(value)))),
      finished && current.failed
        ? el("button", { type: "button", onclick: () => attempt(box, () => download(`/api/imports/${current.id}/errors.csv`, "errors.csv")) }, `Download the ${current.failed} failed row(s)`)
        : "",
      finished ? el("p", {}, `Finished ${when(current.finished_at)}`) : "",
      box);
    return finished;
  }
  draw(job);
  poll(1000, async () => {
    const current = await attempt(box, () => api(`/api/imports/${job.id}`));
    if (!current) return true;
    const finished = draw(current);
    if (finished) onFinished();
    return !finished;
  });
  return view;
}
