import { modelOn } from '../../platform/database/models';
import { type Connection, type HydratedDocument, type Model, Schema, type Types } from 'mongoose';
import { LANGUAGES, type Language } from '../../platform/i18n';
import { ROLES, type Role } from '../../platform/roles';

export type UserRecord = {
  _id: Types.ObjectId;
  /** lower-cased on the way in; unique */
  email: string;
  /** the name exactly as it prints on the certificate */
  name: string;
  passwordHash: string;
  role: Role;
  language: Language;
  /** municipality, region or association; optional fields are left out, never stored as null */
  organisation?: string;
  /** ISO 3166-1 alpha-2 code */
  country?: string;
  position?: string;
  /** set while the account is deactivated */
  deactivatedAt?: Date;
  passwordChangedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
};
export type UserDocument = HydratedDocument<UserRecord>;
export type UserModel = Model<UserRecord>;

const userSchema = new Schema<UserRecord>(
  {
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    name: { type: String, required: true, trim: true, maxlength: 120 },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true, default: 'learner' },
    language: { type: String, enum: LANGUAGES, required: true, default: 'en' },
    organisation: { type: String, trim: true, maxlength: 200 },
    country: { type: String, uppercase: true, minlength: 2, maxlength: 2 },
    position: { type: String, trim: true, maxlength: 200 },
    deactivatedAt: { type: Date },
    passwordChangedAt: { type: Date },
  },
  {
    collection: 'users',
    timestamps: true,
    toJSON: {
      transform: (_doc, ret: Record<string, unknown>) => {
        delete ret.passwordHash;
        return ret;
      },
    },
  },
);
userSchema.index({ email: 1 }, { unique: true });
// admins list accounts newest first, _id breaking ties: the index serves that sort
userSchema.index({ createdAt: -1, _id: -1 });

/** The User model on this connection (each test database has its own connection). */
export function getUserModel(connection: Connection): UserModel {
  return modelOn<UserRecord>(connection, 'User', userSchema);
}
