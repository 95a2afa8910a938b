import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { MappingStep } from "./MappingStep";
import type { ImportJob } from "./progress";
import { rememberFile } from "./uploaded";

const job: ImportJob = {
  id: "imp-1", filename: "people.csv", size: 80, status: "uploaded", columns: ["First Name", "Email", "Precinct"],
  rows_read: 0, created: 0, merged: 0, failed: 0, created_at: "2026-01-01T00:00:00Z",
};

function show() {
  const client = new QueryClient();
  rememberFile(client, job.id, { preview: { header: job.columns, rows: [["Avery", "avery@example.org", "12"], ["Blake", "", "7"]] } });
  render(<QueryClientProvider client={client}><MappingStep job={job} /></QueryClientProvider>);
}

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

describe("the mapping step", () => {
  it("shows each column with its guessed field and the file's first values", () => {
    show();
    expect((screen.getByLabelText("First Name") as HTMLSelectElement).value).toBe("first_name");
    expect((screen.getByLabelText("Email") as HTMLSelectElement).value).toBe("email");
    expect((screen.getByLabelText("Precinct") as HTMLSelectElement).value).toBe("custom:Precinct");
    const precinct = screen.getByRole("row", { name: /Precinct/ });
    expect(precinct.textContent).toContain("12");
    expect(precinct.textContent).toContain("7");
    expect(screen.getByRole("row", { name: /Email/ }).textContent).toContain("(empty)");
  });

  it("refuses to start without a name column, saying so, and lists the tags it will add", () => {
    show();
    fireEvent.change(screen.getByLabelText("First Name"), { target: { value: "ignore" } });
    fireEvent.change(screen.getByLabelText("Tags added to every contact"), { target: { value: "Volunteers, Spring" } });
    expect(screen.getByRole("list", { name: "Tags to add" }).textContent).toBe("VolunteersSpring");
    fireEvent.click(screen.getByRole("button", { name: "Start import" }));
    expect(screen.getByRole("alert").textContent).toBe("map at least one column to First name, Last name or Full name");
  });

  it("marks the column that would overwrite another", () => {
    show();
    fireEvent.change(screen.getByLabelText("Precinct"), { target: { value: "first_name" } });
    fireEvent.click(screen.getByRole("button", { name: "Start import" }));
    const select = screen.getByLabelText("Precinct");
    expect(select.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(select.getAttribute("aria-describedby")!)?.textContent).toBe("First name is already filled from “First Name”");
  });
});
