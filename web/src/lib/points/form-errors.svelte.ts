// The error of an admin form: one message at a time, under the field it names or for the whole form.
// Each field's error element has the id of its input plus "-error"; the form's own error element
// (focusable, tabindex -1) has the id given to the constructor.
import { focusField, placeError } from "./field-errors";

/** A field the API may name: the words the form uses for it, and the id of its input. */
export interface FormField {
  label: string;
  input: string;
}

export class FormErrors {
  #field = $state<string | null>(null);
  #message = $state<string | null>(null);
  readonly #labels: Record<string, string>;
  readonly #inputs: Record<string, string>;
  readonly #formErrorId: string;

  /** `fields` is keyed by the API's field names; `formErrorId` is the form's general error element. */
  constructor(formErrorId: string, fields: Record<string, FormField>) {
    this.#formErrorId = formErrorId;
    this.#labels = Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, f.label]));
    this.#inputs = Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, f.input]));
  }

  /** The API name of the field in error, or null (no error, or an error of the whole form). */
  get field(): string | null {
    return this.#field;
  }

  /** The message shown, wherever it is shown. */
  get message(): string | null {
    return this.#message;
  }

  /** The message of an error that names none of the form's fields (shown above the buttons). */
  get formMessage(): string | null {
    return this.#field === null ? this.#message : null;
  }

  /** Shows a refused request under the field it names (else for the form) and moves focus there. */
  async show(cause: unknown): Promise<void> {
    const placed = placeError(cause, this.#labels);
    await this.showOn(placed.field, placed.message);
  }

  /** Shows `message` under the field `name` (null: for the whole form) and moves focus there. */
  async showOn(name: string | null, message: string): Promise<void> {
    const field = name !== null && name in this.#inputs ? name : null;
    this.#field = field;
    this.#message = message;
    await focusField(field === null ? this.#formErrorId : this.#inputs[field]);
  }

  /** aria-invalid of the field `name`: true while its error is shown. */
  invalid(name: string): true | undefined {
    return this.#field === name ? true : undefined;
  }

  /** aria-describedby of the field `name`: its error element while shown, else its hint (if any). */
  described(name: string, hint?: string): string | undefined {
    return this.#field === name ? `${this.#inputs[name]}-error` : hint;
  }

  /** Typing in a field clears its own error (and no other). */
  clearError(name: string): void {
    if (this.#field === name) this.clear();
  }

  /** Clears the error, for example when the form is sent again. */
  clear(): void {
    this.#field = null;
    this.#message = null;
  }
}
