import { figureItems } from '../../timeline/figures.ts';
import type { Figures as FigureValues } from '../../timeline/types.ts';

/** TTFT, total time, tokens, tokens/s, longest gap, reads against events. */
export function Figures({ figures }: { figures: FigureValues }) {
  return (
    <dl className="tl-figures">
      {figureItems(figures).map((item) => (
        <div key={item.key} title={item.description}>
          <dt>{item.label}</dt>
          <dd data-figure={item.key}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
