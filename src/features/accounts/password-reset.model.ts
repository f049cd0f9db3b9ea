import { modelOn } from '../../platform/database/models';
import { type Connection, type Model, Schema, type Types } from 'mongoose';

/**
 * One outstanding password-reset link. The `_id` is the SHA-256 of the token that was e-mailed,
 * so the database never holds a usable link, and using one is a delete whose count says whether
 * this request won (single use, exact under concurrency on MongoDB and FerretDB alike).
 */
export type PasswordResetRecord = {
  _id: string;
  userId: Types.ObjectId;
  expiresAt: Date;
  createdAt: Date;
};
export type PasswordResetModel = Model<PasswordResetRecord>;

const passwordResetSchema = new Schema<PasswordResetRecord>(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'password_resets', timestamps: { createdAt: true, updatedAt: false } },
);
passwordResetSchema.index({ userId: 1 });
passwordResetSchema.index({ expiresAt: 1 });

export function getPasswordResetModel(connection: Connection): PasswordResetModel {
  return modelOn<PasswordResetRecord>(connection, 'PasswordReset', passwordResetSchema);
}
