// How far the submitted registration has got: each step with its state in words.
import { stages } from "./steps";

const STATE_LABEL = { done: "done", current: "in progress", failed: "failed", waiting: "not started" };

export function Stages({ registration }: { registration: Parameters<typeof stages>[0] }) {
  return (
    <ol className="stages" aria-label="Registration steps">
      {stages(registration).map((stage) => (
        <li key={stage.name} className={`stage ${stage.state}`} aria-current={stage.state === "current" ? "step" : undefined}>
          <span className="stage-name">{stage.name}<span className="visually-hidden">, {STATE_LABEL[stage.state]}</span></span>
          <span className="stage-words">{stage.words}</span>
        </li>
      ))}
    </ol>
  );
}
