package s3

import (
	"bytes"
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// upload is one object being written with a multipart upload, as
// Confluent's S3OutputStream: bytes collect in a buffer, and every full
// part is sent by flush. The upload itself starts with the first part, so
// an object that is abandoned before its first part costs no request.
// Nothing is visible in the bucket until complete. An upload is not safe
// for concurrent use.
type upload struct {
	client *s3.Client
	s      *settings
	key    string

	buf   bytes.Buffer
	id    string // "" until the upload is created
	parts []types.CompletedPart
}

func newUpload(c *s3.Client, s *settings, key string) *upload {
	return &upload{client: c, s: s, key: key}
}

// Write buffers p; it never fails. flush sends what it fills.
func (u *upload) Write(p []byte) (int, error) { return u.buf.Write(p) }

// flush uploads every full part in the buffer, so that it holds less than
// one part afterwards.
func (u *upload) flush(ctx context.Context) error {
	for u.buf.Len() >= u.s.partSize {
		if err := u.uploadPart(ctx, u.buf.Next(u.s.partSize)); err != nil {
			return err
		}
	}
	return nil
}

// complete uploads the rest as the last part, which S3 lets be smaller,
// and completes the upload: the object appears whole under its key,
// replacing any object there.
func (u *upload) complete(ctx context.Context) error {
	if err := u.flush(ctx); err != nil {
		return err
	}
	if u.buf.Len() > 0 || len(u.parts) == 0 {
		if err := u.uploadPart(ctx, u.buf.Bytes()); err != nil {
			return err
		}
		u.buf.Reset()
	}
	_, err := u.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket:          aws.String(u.s.bucket),
		Key:             aws.String(u.key),
		UploadId:        aws.String(u.id),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: u.parts},
	})
	if err != nil {
		return fmt.Errorf("complete multipart upload of %s: %w", u.name(), err)
	}
	return nil
}

// abort drops the parts uploaded so far. An upload that sent none has
// nothing to abort.
func (u *upload) abort(ctx context.Context) error {
	u.buf = bytes.Buffer{}
	if u.id == "" {
		return nil
	}
	id := u.id
	u.id, u.parts = "", nil
	_, err := u.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
		Bucket:   aws.String(u.s.bucket),
		Key:      aws.String(u.key),
		UploadId: aws.String(id),
	})
	if err != nil {
		return fmt.Errorf("abort multipart upload %s of %s (its parts stay billed until a bucket lifecycle rule removes them): %w", id, u.name(), err)
	}
	return nil
}

func (u *upload) uploadPart(ctx context.Context, b []byte) error {
	if u.id == "" {
		if err := u.create(ctx); err != nil {
			return err
		}
	}
	n := int32(len(u.parts) + 1)
	in := &s3.UploadPartInput{
		Bucket:        aws.String(u.s.bucket),
		Key:           aws.String(u.key),
		UploadId:      aws.String(u.id),
		PartNumber:    aws.Int32(n),
		Body:          bytes.NewReader(b),
		ContentLength: aws.Int64(int64(len(b))),
	}
	if k := u.customerKey(); k != "" {
		in.SSECustomerAlgorithm = aws.String("AES256")
		in.SSECustomerKey = aws.String(k)
		in.SSECustomerKeyMD5 = aws.String(customerKeyMD5(k))
	}
	out, err := u.client.UploadPart(ctx, in)
	if err != nil {
		return fmt.Errorf("upload part %d (%d bytes) of %s: %w", n, len(b), u.name(), err)
	}
	u.parts = append(u.parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(n)})
	return nil
}

func (u *upload) create(ctx context.Context) error {
	in := &s3.CreateMultipartUploadInput{
		Bucket: aws.String(u.s.bucket),
		Key:    aws.String(u.key),
	}
	if u.s.acl != "" {
		in.ACL = types.ObjectCannedACL(u.s.acl)
	}
	switch k := u.customerKey(); {
	case k != "":
		in.SSECustomerAlgorithm = aws.String("AES256")
		in.SSECustomerKey = aws.String(k)
		in.SSECustomerKeyMD5 = aws.String(customerKeyMD5(k))
	case u.s.sseAlgorithm == "AES256":
		in.ServerSideEncryption = types.ServerSideEncryptionAes256
	case u.s.sseAlgorithm == "aws:kms" && u.s.sseKMSKeyID != "":
		in.ServerSideEncryption = types.ServerSideEncryptionAwsKms
		in.SSEKMSKeyId = aws.String(u.s.sseKMSKeyID)
	}
	out, err := u.client.CreateMultipartUpload(ctx, in)
	if err != nil {
		return fmt.Errorf("create multipart upload of %s: %w", u.name(), err)
	}
	u.id = aws.ToString(out.UploadId)
	return nil
}

// customerKey is the SSE-C key, when objects are encrypted with one.
func (u *upload) customerKey() string {
	if u.s.sseAlgorithm != "AES256" {
		return ""
	}
	return u.s.sseCustomerKey.Value()
}

func (u *upload) name() string { return "s3://" + u.s.bucket + "/" + u.key }
